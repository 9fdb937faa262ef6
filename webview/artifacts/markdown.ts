// Markdown artifacts: markdown-it with raw HTML off, then DOMPurify over its output, then a last pass over the
// DOM that keeps only http(s) links and data: images. Nothing is fetched (a remote image becomes a link to its URL)
// and no link navigates the webview: the view's click handler passes http(s) hrefs to onOpenLink. Style attributes
// go too, since the CSP would refuse them anyway.
import DOMPurify from "dompurify";
import MarkdownIt from "markdown-it";
import { isDataImageUrl, safeHttpUrl } from "../common/links.ts";

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });
// Table column alignment comes out as style="text-align:..." attributes, which the CSP refuses (even on the way
// through DOMPurify's parser): carry it as a class instead.
markdown.core.ruler.push("alignment-as-class", (state) => {
  for (const token of state.tokens) {
    const style = token.attrGet("style");
    if (style === null) continue;
    const alignment = /^text-align:(left|right|center)$/.exec(String(style))?.[1];
    token.attrs = (token.attrs ?? []).filter(([name]) => name !== "style");
    if (alignment) token.attrJoin("class", `align-${alignment}`);
  }
});

const ALLOWED_TAGS = [
  "a",
  "blockquote",
  "br",
  "code",
  "del",
  "em",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "hr",
  "img",
  "li",
  "ol",
  "p",
  "pre",
  "s",
  "strong",
  "table",
  "tbody",
  "td",
  "th",
  "thead",
  "tr",
  "ul",
];

/** The markdown as sanitised DOM, ready to append. */
export function renderMarkdown(source: string): DocumentFragment {
  const html = markdown.render(source);
  const fragment = DOMPurify.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR: ["href", "src", "alt", "title", "class"],
    RETURN_DOM_FRAGMENT: true,
  });
  for (const link of fragment.querySelectorAll("a")) {
    const url = safeHttpUrl(link.getAttribute("href") ?? "");
    if (url) link.setAttribute("href", url);
    else link.removeAttribute("href");
    link.setAttribute("title", url ?? "");
  }
  for (const image of fragment.querySelectorAll("img")) {
    const src = image.getAttribute("src") ?? "";
    if (isDataImageUrl(src)) continue;
    image.replaceWith(imageStandIn(image.getAttribute("alt") ?? "", src));
  }
  return fragment;
}

/** A remote (or otherwise unshowable) image as its alt text and, when it is http(s), a link to it. */
function imageStandIn(alt: string, src: string): HTMLElement {
  const url = safeHttpUrl(src);
  const standIn = document.createElement(url ? "a" : "span");
  standIn.className = "artifact-image-stand-in";
  standIn.textContent = `[image${alt ? `: ${alt}` : ""}]`;
  if (url) {
    standIn.setAttribute("href", url);
    standIn.setAttribute("title", url);
  }
  return standIn;
}
