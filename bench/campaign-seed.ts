// Seeds the bench:campaign database (DATABASE_URL): a catalogue, and customers who love its type.
export {};
const { readyDb, disconnectDb } = await import("~/db.server");
const { loadShopSettings, saveShopSettings } = await import("~/shops/settings.server");
const { markInstalled } = await import("~/shops/shops.server");

const recipients = Number(process.env.BENCH_RECIPIENTS ?? 10_000);
const shop = "bench.myshopify.com";
const db = await readyDb();
await markInstalled(db, shop, { name: "Bench Ceramics", currencyCode: "GBP" }, null);
const settings = await loadShopSettings(db, shop);
settings.brandVoice.physicalAddress = "1 Pottery Lane, Stoke-on-Trent ST1 1AA, United Kingdom";
await saveShopSettings(db, shop, settings);
for (let p = 1; p <= 40; p++) {
  await db.product.create({
    data: { shop, id: String(p), title: `Hand-thrown Mug No. ${p}`, handle: `mug-${p}`, productType: "Ceramics", vendor: "Studio", status: "active", publishedAt: new Date(), descriptionHtml: "<p>Stoneware, glazed by hand.</p>" },
  });
  await db.variant.create({ data: { shop, id: `${p}0`, productId: String(p), price: 1800 + p * 10, currency: "GBP", availableQuantity: 50 } });
}
for (let start = 0; start < recipients; start += 2_000) {
  const ids = Array.from({ length: Math.min(2_000, recipients - start) }, (_, i) => String(start + i + 1));
  await db.customer.createMany({ data: ids.map((id) => ({ shop, id, email: `customer${id}@example.com`, firstName: `Name${id}`, emailConsentState: "SUBSCRIBED" })) });
  await db.customerAffinity.createMany({ data: ids.map((id) => ({ shop, customerId: id, dimension: "productType", key: "Ceramics", score: 1 + (Number(id) % 7) / 10 })) });
  await db.customerInsight.createMany({ data: ids.map((id) => ({ shop, customerId: id, expectedOrderValue: 3500, computedAt: new Date() })) });
}
await disconnectDb();
