import { describe, expect, it } from "vitest";
import { loadContract, type RequestToCheck } from "./openapi-contract";

// The contract checker must bite, or every "request matches the spec" assertion is empty.

function request(overrides: Partial<RequestToCheck>): RequestToCheck {
  return { method: "POST", path: "/", query: new URLSearchParams(), headers: {}, body: "", ...overrides };
}

describe("OpenAPI contract checker", () => {
  const sendgrid = loadContract("sendgrid-mail");
  const goodMail = {
    personalizations: [{ to: [{ email: "a@example.com" }] }],
    from: { email: "shop@example.com" },
    subject: "Hi",
    content: [{ type: "text/plain", value: "Hi" }],
  };
  const mail = (body: unknown, headers: Record<string, string> = { authorization: "Bearer k", "content-type": "application/json" }) =>
    sendgrid.checkRequest(request({ path: "/v3/mail/send", headers, body: JSON.stringify(body) }));

  it("accepts a valid SendGrid Mail Send request", () => {
    expect(mail(goodMail)).toEqual({ operation: "SendMail", problems: [] });
  });

  it("rejects bodies and headers that break SendGrid's spec", () => {
    expect(mail({ ...goodMail, from: undefined }).problems.join()).toMatch(/from/);
    expect(mail({ ...goodMail, personalizations: [{ to: [{ email: "not an email" }] }] }).problems.join()).toMatch(/format/);
    expect(mail({ ...goodMail, categories: Array.from({ length: 11 }, (_, i) => `c${i}`) }).problems.join()).toMatch(/10/);
    expect(mail(goodMail, { "content-type": "application/json" }).problems.join()).toMatch(/Bearer/);
    expect(mail(goodMail, { authorization: "Bearer k", "content-type": "text/plain" }).problems.join()).toMatch(/content-type/);
    expect(sendgrid.checkRequest(request({ path: "/v3/mail/nope" })).problems.join()).toMatch(/no operation/);
  });

  it("rejects Klaviyo requests without revision header, the key prefix or a required attribute", () => {
    const klaviyo = loadContract("klaviyo");
    const event = {
      data: {
        type: "event",
        attributes: {
          properties: {},
          metric: { data: { type: "metric", attributes: { name: "M" } } },
          profile: { data: { type: "profile", attributes: { email: "a@example.com" } } },
        },
      },
    };
    const headers = { authorization: "Klaviyo-API-Key pk_x", revision: "2026-07-15", "content-type": "application/vnd.api+json" };
    const check = (body: unknown, h: Record<string, string> = headers) =>
      klaviyo.checkRequest(request({ path: "/api/events", headers: h, body: JSON.stringify(body) })).problems;
    expect(check(event)).toEqual([]);
    expect(check(event, { ...headers, revision: undefined } as never).join()).toMatch(/revision/);
    expect(check(event, { ...headers, authorization: "Bearer pk_x" }).join()).toMatch(/Klaviyo-API-Key/);
    expect(check({ data: { ...event.data, type: "evnt" } }).join()).toMatch(/allowed values/);
    expect(check({ data: { type: "event", attributes: { properties: {} } } }).join()).toMatch(/metric/);
    // `nullable` is honoured: an explicit null where the spec allows it passes.
    expect(check({ data: { ...event.data, attributes: { ...event.data.attributes, time: null } } })).toEqual([]);
  });

  it("rejects Postmark requests without the server token header", () => {
    const postmark = loadContract("postmark");
    const body = JSON.stringify({ From: "a@example.com", To: "b@example.com", Subject: "s", TextBody: "t" });
    const ok = postmark.checkRequest(request({ path: "/email", headers: { "x-postmark-server-token": "t", "content-type": "application/json" }, body }));
    expect(ok.problems).toEqual([]);
    const missing = postmark.checkRequest(request({ path: "/email", headers: { "content-type": "application/json" }, body }));
    expect(missing.problems.join()).toMatch(/X-Postmark-Server-Token/);
    const wrongType = postmark.checkRequest(
      request({ path: "/email", headers: { "x-postmark-server-token": "t", "content-type": "application/json" }, body: JSON.stringify({ TrackOpens: "yes" }) }),
    );
    expect(wrongType.problems.join()).toMatch(/boolean/);
  });

  it("holds fake replies to the documented response schema", () => {
    const klaviyo = loadContract("klaviyo");
    const bad = klaviyo.checkReply("POST", "/api/events", 429, "application/vnd.api+json", JSON.stringify({ nope: true }));
    expect(bad.join()).toMatch(/errors/);
    const good = klaviyo.checkReply(
      "POST",
      "/api/events",
      429,
      "application/vnd.api+json",
      JSON.stringify({ errors: [{ id: "1", code: "throttled", title: "t", detail: "d" }] }),
    );
    expect(good).toEqual([]);
  });
});
