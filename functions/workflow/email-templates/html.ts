// Safe HTML for the email templates: every interpolated value is escaped unless it is itself SafeHtml built by `html`,
// so a customer name like `<script>` or `"onmouseover=` is shown as text, never interpreted.

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (character) => HTML_ESCAPES[character] ?? character);
}

export type HtmlValue = string | number | SafeHtml | readonly SafeHtml[] | undefined | null;

function render(value: HtmlValue): string {
  if (value === undefined || value === null) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map((item: SafeHtml) => item.value).join('');
  return escapeHtml(String(value));
}

/** Tagged template: `html\`<p>${name}</p>\`` escapes `name`; nested `html` fragments are kept as they are. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Only http(s) links, so a crafted value can never become a `javascript:` URL. */
export function safeHref(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error(`Refusing a link with protocol ${parsed.protocol}`);
  }
  return parsed.href;
}

/** A value for a subject line or a plain-text line: no line breaks or other control characters. */
export function oneLine(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

/** The shared frame of every email. */
export function emailDocument(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${title}</title></head>
<body style="font-family: Segoe UI, Helvetica, Arial, sans-serif; color: #1b1b1b; line-height: 1.5;">
${body}
<p style="color: #616161; font-size: 12px;">This message was sent by the partner transfers service. Please do not reply.</p>
</body>
</html>`.value;
}
