// Imported first by main.ts, before any toolkit element. The toolkit's Lit elements style their shadow roots with
// constructable stylesheets (adoptedStyleSheets), which a nonce-only style-src does not block; where those are
// missing Lit falls back to <style> elements carrying window.litNonce, so they pass the CSP too.
const nonce = (document.currentScript as HTMLScriptElement | null)?.nonce;
if (nonce) (globalThis as { litNonce?: string }).litNonce = nonce;
