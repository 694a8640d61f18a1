// Seeds the bench:campaign database (DATABASE_URL): a catalogue, and customers who love its type.
// BENCH_SEGMENTS=1 (default) also gives them one of three style tags (three segments with their own
// copy, ADR 017); BENCH_HISTORY=1 (default) adds an earlier two-email campaign to all of them, with
// clicks and attributed orders, so the build reads a real contact memory (ADR 016).
export {};
const { readyDb, disconnectDb } = await import("~/db.server");
const { loadShopSettings, saveShopSettings } = await import("~/shops/settings.server");
const { markInstalled } = await import("~/shops/shops.server");

const recipients = Number(process.env.BENCH_RECIPIENTS ?? 10_000);
const segments = process.env.BENCH_SEGMENTS !== "0";
const history = process.env.BENCH_HISTORY !== "0";
const shop = "bench.myshopify.com";
const TAGS = ["Speckled", "Matte", "Glossy"];
const DAY = 86_400_000;
const db = await readyDb();
await markInstalled(db, shop, { name: "Bench Ceramics", currencyCode: "GBP" }, null);
const settings = await loadShopSettings(db, shop);
settings.brandVoice.physicalAddress = "1 Pottery Lane, Stoke-on-Trent ST1 1AA, United Kingdom";
await saveShopSettings(db, shop, settings);
for (let p = 1; p <= 40; p++) {
  await db.product.create({
    data: { shop, id: String(p), title: `Hand-thrown Mug No. ${p}`, handle: `mug-${p}`, productType: "Ceramics", vendor: "Studio", tags: JSON.stringify([TAGS[p % 3]]), status: "active", publishedAt: new Date(), descriptionHtml: "<p>Stoneware, glazed by hand.</p>" },
  });
  await db.variant.create({ data: { shop, id: `${p}0`, productId: String(p), price: 1800 + p * 10, currency: "GBP", availableQuantity: 50 } });
}
for (let start = 0; start < recipients; start += 2_000) {
  const ids = Array.from({ length: Math.min(2_000, recipients - start) }, (_, i) => String(start + i + 1));
  await db.customer.createMany({ data: ids.map((id) => ({ shop, id, email: `customer${id}@example.com`, firstName: `Name${id}`, emailConsentState: "SUBSCRIBED" })) });
  await db.customerAffinity.createMany({ data: ids.map((id) => ({ shop, customerId: id, dimension: "productType", key: "Ceramics", score: 1 + (Number(id) % 7) / 10 })) });
  if (segments) await db.customerAffinity.createMany({ data: ids.map((id) => ({ shop, customerId: id, dimension: "tag", key: TAGS[Number(id) % 3], score: 0.8 })) });
  await db.customerInsight.createMany({ data: ids.map((id) => ({ shop, customerId: id, expectedOrderValue: 3500, computedAt: new Date() })) });
}

if (history) {
  // Two weeks ago, a two-email new-arrival campaign to everyone, showing four of the other mugs.
  const sentAt = (days: number) => new Date(Date.now() - days * DAY);
  const earlier = await db.campaign.create({
    data: { shop, kind: "promotional", angle: "new_arrival", title: "Earlier mugs", status: "sent", audienceSize: recipients, currency: "GBP", plan: JSON.stringify({ steps: [{ delayHours: 0, offerPercent: null }, { delayHours: 120, offerPercent: null }] }) },
  });
  for (let start = 0; start < recipients; start += 1_000) {
    const ids = Array.from({ length: Math.min(1_000, recipients - start) }, (_, i) => start + i + 1);
    await db.campaignRecipient.createMany({
      data: ids.map((n) => ({ shop, campaignId: earlier.id, id: `bench-r${n}`, customerId: String(n), email: `customer${n}@example.com`, products: JSON.stringify([0, 1, 2, 3].map((k) => String(4 + ((n + k * 9) % 37)))) })),
    });
    await db.send.createMany({
      data: ids.flatMap((n) =>
        [0, 1].map((step) => ({ shop, campaignId: earlier.id, step, recipientId: `bench-r${n}`, customerId: String(n), email: `customer${n}@example.com`, idempotencyKey: `bench.${step}.${n}`, status: "sent", scheduledAt: sentAt(14 - 5 * step), sentAt: sentAt(14 - 5 * step) })),
      ),
    });
    // One in twenty clicked a product of the first email; one in a hundred ordered after it.
    await db.emailEvent.createMany({
      data: ids.filter((n) => n % 20 === 0).map((n) => ({ shop, sendId: null, campaignId: earlier.id, email: `customer${n}@example.com`, type: "click", source: "link", eventKey: `bench-click-${n}`, url: `https://${shop}/products/mug-${4 + (n % 37)}`, occurredAt: sentAt(13) })),
    });
    const buyers = ids.filter((n) => n % 100 === 0);
    await db.order.createMany({ data: buyers.map((n) => ({ shop, id: `bench-o${n}`, customerId: String(n), email: `customer${n}@example.com`, currency: "GBP", totalPrice: 3000, processedAt: sentAt(12) })) });
    await db.orderLine.createMany({ data: buyers.map((n) => ({ shop, orderId: `bench-o${n}`, id: `bench-l${n}`, productId: String(4 + (n % 37)), title: "Mug", quantity: 1, price: 3000 })) });
    await db.orderAttribution.createMany({ data: buyers.map((n) => ({ shop, orderId: `bench-o${n}`, campaignId: earlier.id, sendId: null, method: "utm", revenue: 3000, currency: "GBP", orderedAt: sentAt(12) })) });
  }
}
await disconnectDb();
