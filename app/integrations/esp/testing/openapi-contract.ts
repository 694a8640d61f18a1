import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

// Test-only: checks a request against one operation of a provider's published OpenAPI document (the
// fragments in tests/fixtures/esp-specs), the way the provider's own gateway would: path and method,
// required header and query parameters, the security scheme's header, the media type and the body
// schema. Also checks a fake's reply against the documented response, so the fakes stay honest.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export type SpecFragment = "klaviyo" | "sendgrid-mail" | "postmark";

export type RequestToCheck = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: string;
};

export type ContractCheck = { operation: string | undefined; problems: string[] };

export interface OpenApiContract {
  readonly title: string;
  checkRequest(request: RequestToCheck): ContractCheck;
  checkReply(method: string, path: string, status: number, contentType: string | undefined, body: string): string[];
}

const fixturesDir = fileURLToPath(new URL("../../../../tests/fixtures/esp-specs/", import.meta.url));

export function loadContract(fragment: SpecFragment): OpenApiContract {
  const doc = JSON.parse(readFileSync(`${fixturesDir}${fragment}.json`, "utf8")) as JsonObject;
  return createContract(doc);
}

// OpenAPI 3.0 `nullable` is not JSON Schema; rewrite it into what it means. (3.1 documents may still
// carry it in places, SendGrid's does, and the rewrite is harmless there.)
function convertNullable(node: Json): Json {
  if (Array.isArray(node)) return node.map(convertNullable);
  if (!node || typeof node !== "object") return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) out[key] = convertNullable(value);
  if (out.nullable !== true) return out;
  delete out.nullable;
  if (typeof out.type === "string" && !("$ref" in out)) {
    out.type = [out.type, "null"];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: "null" }] };
}

function pointer(...parts: string[]): string {
  return parts.map((part) => part.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
}

function deref(doc: JsonObject, node: Json | undefined): JsonObject | undefined {
  let current = node;
  for (let depth = 0; depth < 10 && current && typeof current === "object" && !Array.isArray(current); depth++) {
    const ref = current.$ref;
    if (typeof ref !== "string") return current;
    current = ref
      .slice(2)
      .split("/")
      .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce<Json | undefined>(
        (at, key) => (at && typeof at === "object" && !Array.isArray(at) ? at[key] : undefined),
        doc,
      );
  }
  return undefined;
}

function templateToRegExp(template: string): RegExp {
  const source = template
    .split(/\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, "\\$&"))
    .join("[^/]+");
  return new RegExp(`^${source}$`);
}

export function createContract(rawDoc: JsonObject): OpenApiContract {
  const doc = convertNullable(rawDoc) as JsonObject;
  const is31 = String(doc.openapi).startsWith("3.1");
  const ajv = is31 ? new Ajv2020({ strict: false, allErrors: true, logger: false }) : new Ajv({ strict: false, allErrors: true, logger: false });
  addFormats(ajv);
  for (const format of ["int32", "int64", "float", "double", "byte", "binary", "password"]) ajv.addFormat(format, true);
  ajv.addSchema(doc as object, "spec");
  const compiled = new Map<string, ValidateFunction>();
  function validatorAt(path: string): ValidateFunction {
    let validate = compiled.get(path);
    if (!validate) {
      validate = ajv.compile({ $ref: `spec#/${path}` });
      compiled.set(path, validate);
    }
    return validate;
  }

  const paths = (doc.paths ?? {}) as JsonObject;
  const securitySchemes = (deref(doc, (doc.components as JsonObject | undefined)?.securitySchemes) ?? {}) as JsonObject;

  function findOperation(method: string, path: string) {
    const lower = method.toLowerCase();
    for (const [template, item] of Object.entries(paths)) {
      if (!templateToRegExp(template).test(path)) continue;
      const operation = deref(doc, (item as JsonObject)[lower]);
      if (operation) return { template, method: lower, operation, pathItem: item as JsonObject };
    }
    return undefined;
  }

  function checkSecurity(operation: JsonObject, headers: RequestToCheck["headers"]): string[] {
    const requirements = (operation.security ?? doc.security) as JsonObject[] | undefined;
    if (!requirements || requirements.length === 0) return [];
    const failures: string[] = [];
    for (const requirement of requirements) {
      const problems: string[] = [];
      for (const name of Object.keys(requirement)) {
        const scheme = deref(doc, securitySchemes[name]);
        if (!scheme) continue;
        if (scheme.type === "http" && String(scheme.scheme).toLowerCase() === "bearer") {
          if (!/^Bearer \S+$/.test(headers.authorization ?? "")) problems.push(`${name}: no "Authorization: Bearer …"`);
        } else if (scheme.type === "apiKey" && scheme.in === "header") {
          const value = headers[String(scheme.name).toLowerCase()];
          // Klaviyo documents the value's shape in x-default ("Klaviyo-API-Key your-private-api-key").
          const prefix = typeof scheme["x-default"] === "string" ? scheme["x-default"].split(" ")[0] : undefined;
          if (!value) problems.push(`${name}: header ${scheme.name} missing`);
          else if (prefix && !value.startsWith(`${prefix} `)) problems.push(`${name}: ${scheme.name} must start with "${prefix} "`);
        }
      }
      if (problems.length === 0) return [];
      failures.push(...problems);
    }
    return failures;
  }

  return {
    title: String((doc.info as JsonObject | undefined)?.title ?? "spec"),

    checkRequest(request) {
      const found = findOperation(request.method, request.path);
      if (!found) return { operation: undefined, problems: [`no operation ${request.method} ${request.path} in the spec`] };
      const { operation, template, method, pathItem } = found;
      const name = String(operation.operationId ?? `${method} ${template}`);
      const problems: string[] = [];

      const parameters = [...((pathItem.parameters as Json[]) ?? []), ...((operation.parameters as Json[]) ?? [])]
        .map((parameter) => deref(doc, parameter))
        .filter((parameter): parameter is JsonObject => parameter !== undefined);
      for (const parameter of parameters) {
        const parameterName = String(parameter.name);
        const value =
          parameter.in === "header"
            ? request.headers[parameterName.toLowerCase()]
            : parameter.in === "query"
              ? (request.query.get(parameterName) ?? undefined)
              : undefined;
        if (value === undefined) {
          if (parameter.required === true && parameter.in !== "path") {
            problems.push(`required ${parameter.in} parameter ${parameterName} missing`);
          }
          continue;
        }
        const schema = deref(doc, parameter.schema);
        if (schema && (schema.type === "string" || Array.isArray(schema.enum))) {
          const validate = ajv.compile(schema);
          if (!validate(value)) problems.push(`${parameter.in} ${parameterName}: ${ajv.errorsText(validate.errors)}`);
        }
      }
      problems.push(...checkSecurity(operation, request.headers));

      const requestBody = deref(doc, operation.requestBody);
      if (requestBody) {
        const content = (requestBody.content ?? {}) as JsonObject;
        const mediaType = (request.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
        if (!request.body) {
          if (requestBody.required === true) problems.push("request body required");
        } else if (!(mediaType in content)) {
          problems.push(`content-type ${mediaType || "(none)"} not one of ${Object.keys(content).join(", ")}`);
        } else if (/json/.test(mediaType)) {
          let body: unknown;
          try {
            body = JSON.parse(request.body);
          } catch {
            problems.push("body is not JSON");
          }
          if (body !== undefined) {
            const at = requestBodyPointer(operation, template, method, mediaType);
            const validate = validatorAt(at);
            if (!validate(body)) problems.push(...(validate.errors ?? []).map((e) => `body${e.instancePath} ${e.message}`));
          }
        }
      } else if (request.body) {
        problems.push("operation takes no request body");
      }
      return { operation: name, problems };
    },

    checkReply(method, path, status, contentType, body) {
      const found = findOperation(method, path);
      if (!found) return [];
      const responses = (found.operation.responses ?? {}) as JsonObject;
      const key = [String(status), `${String(status)[0]}XX`, "default"].find((candidate) => candidate in responses);
      if (!key) return []; // undocumented status (e.g. SendGrid's 429): nothing to hold the fake to
      const response = deref(doc, responses[key]);
      const content = (response?.content ?? {}) as JsonObject;
      const mediaType = (contentType ?? "").split(";")[0].trim().toLowerCase();
      if (!(mediaType in content) || !/json/.test(mediaType)) return [];
      let value: unknown;
      try {
        value = JSON.parse(body);
      } catch {
        return [`reply ${status} is not JSON`];
      }
      const at = `${pointer("paths", found.template, found.method)}/responses/${pointer(key)}`;
      const resolved = typeof (responses[key] as JsonObject).$ref === "string" ? String((responses[key] as JsonObject).$ref).slice(2) : at;
      const validate = validatorAt(`${resolved}/content/${pointer(mediaType)}/schema`);
      return validate(value) ? [] : (validate.errors ?? []).map((e) => `reply ${status}${e.instancePath} ${e.message}`);
    },
  };
}

function requestBodyPointer(operation: JsonObject, template: string, method: string, mediaType: string) {
  const raw = operation.requestBody as JsonObject;
  const base = typeof raw.$ref === "string" ? raw.$ref.slice(2) : `${pointer("paths", template, method)}/requestBody`;
  return `${base}/content/${pointer(mediaType)}/schema`;
}
