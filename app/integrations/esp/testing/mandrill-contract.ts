import { z } from "zod";
import { type ContractCheck, type RequestToCheck } from "./openapi-contract";

// Test-only. Mailchimp Transactional (Mandrill) publishes no OpenAPI document in our specs, so this is
// OUR contract, written from its public API reference (mailchimp.com/developer/transactional/api/):
// POST https://mandrillapp.com/api/1.0/messages/send and /users/info, JSON bodies, the API key as `key`
// in the body. Objects are strict so a misspelt field fails here instead of being ignored by Mandrill.

const Recipient = z.strictObject({
  email: z.email(),
  name: z.string().optional(),
  type: z.enum(["to", "cc", "bcc"]).optional(),
});

const Message = z.strictObject({
  html: z.string().optional(),
  text: z.string().optional(),
  subject: z.string().optional(),
  from_email: z.email().optional(),
  from_name: z.string().optional(),
  to: z.array(Recipient).min(1),
  headers: z.record(z.string(), z.string()).optional(),
  important: z.boolean().optional(),
  track_opens: z.boolean().optional(),
  track_clicks: z.boolean().optional(),
  auto_text: z.boolean().optional(),
  auto_html: z.boolean().optional(),
  inline_css: z.boolean().optional(),
  url_strip_qs: z.boolean().optional(),
  preserve_recipients: z.boolean().optional(),
  view_content_link: z.boolean().optional(),
  bcc_address: z.string().optional(),
  tracking_domain: z.string().optional(),
  signing_domain: z.string().optional(),
  return_path_domain: z.string().optional(),
  merge: z.boolean().optional(),
  merge_language: z.enum(["mailchimp", "handlebars"]).optional(),
  tags: z.array(z.string().max(50).regex(/^[^_]/, "tags cannot start with an underscore")).optional(),
  subaccount: z.string().optional(),
  google_analytics_domains: z.array(z.string()).optional(),
  google_analytics_campaign: z.string().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  recipient_metadata: z.array(z.object({ rcpt: z.email(), values: z.record(z.string(), z.string()) })).optional(),
});

const SendRequest = z.strictObject({
  key: z.string().min(1),
  message: Message,
  async: z.boolean().optional(),
  ip_pool: z.string().optional(),
  send_at: z.string().optional(),
});

const KeyOnly = z.strictObject({ key: z.string().min(1) });

const OPERATIONS: Record<string, z.ZodType> = {
  "/api/1.0/messages/send": SendRequest,
  "/api/1.0/users/info": KeyOnly,
  "/api/1.0/users/ping2": KeyOnly,
};

export const mandrillContract = {
  checkRequest(request: RequestToCheck): ContractCheck {
    const schema = OPERATIONS[request.path];
    if (!schema) return { operation: undefined, problems: [`no Mandrill operation ${request.path}`] };
    const problems: string[] = [];
    if (request.method !== "POST") problems.push("Mandrill calls are POST");
    if (!/^application\/json\b/.test(request.headers["content-type"] ?? "")) problems.push("content-type must be application/json");
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      problems.push("body is not JSON");
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) problems.push(...parsed.error.issues.map((issue) => `body.${issue.path.join(".")}: ${issue.message}`));
    return { operation: request.path.replace("/api/1.0/", ""), problems };
  },
};
