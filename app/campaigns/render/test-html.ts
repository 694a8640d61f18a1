import { Window } from "happy-dom";

// Reads rendered HTML the way a mail client would see it, for the render tests: a DOM (happy-dom,
// scripts off) plus the visible words in document order.

const window = new Window({
  settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true },
});

export type Doc = ReturnType<typeof parseHtml>;

export function parseHtml(html: string) {
  return new window.DOMParser().parseFromString(html, "text/html");
}

function hidden(element: Element): boolean {
  const style = element.getAttribute("style") ?? "";
  return /display\s*:\s*none/i.test(style);
}

/** Visible text in document order; `altOf(img)` says which images count as words (e.g. a logo). */
export function visibleText(doc: Doc, altOf: (img: Element) => boolean = () => false): string {
  const out: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeType === 3) {
      out.push(node.textContent ?? "");
      return;
    }
    if (node.nodeType !== 1) return;
    const element = node as unknown as Element;
    const tag = element.tagName.toLowerCase();
    if (tag === "head" || tag === "style" || tag === "script" || hidden(element)) return;
    if (tag === "img" && altOf(element)) out.push(` ${element.getAttribute("alt") ?? ""} `);
    if (tag === "br" || tag === "p" || tag === "div" || tag === "td") out.push(" ");
    for (const child of Array.from(node.childNodes)) walk(child as unknown as Node);
    if (tag === "p" || tag === "div" || tag === "td") out.push(" ");
  };
  walk(doc.body as unknown as Node);
  return out.join("");
}

/** Lower-cased words (letters, digits, currency amounts), URLs dropped: what MPART_ALT_DIFF compares. */
export function words(text: string): string[] {
  return text
    .replace(/https?:\/\/\S+/g, " ")
    .toLowerCase()
    .split(/[^\p{L}\p{N}£$€.]+/u)
    .map((word) => word.replace(/^\.+|\.+$/g, ""))
    .filter(Boolean);
}

export function hrefs(doc: Doc): string[] {
  return Array.from(doc.querySelectorAll("a[href]")).map((a) => a.getAttribute("href") ?? "");
}

/** Every attribute on every element, for the "no event handlers anywhere" assertions. */
export function allAttributes(doc: Doc): Array<{ tag: string; name: string; value: string }> {
  return Array.from(doc.querySelectorAll("*")).flatMap((element) =>
    Array.from(element.attributes).map((attribute) => ({ tag: element.tagName, name: attribute.name, value: attribute.value ?? "" })),
  );
}
