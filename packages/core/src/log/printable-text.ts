// C0 controls but tab (\t) and newline (\n), DEL, and the C1 controls (U+0080–U+009F; U+009B is
// a one-character CSI on many terminals).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text from outside (a deal name, a supplier's CSV, a model's draft, a child's output) made safe to
 * print on a terminal: every control character but newline and tab is replaced by a visible
 * stand-in (ESC → ␛, BEL → ␇, CR → ␍, a C1 control → �), so `ESC]0;…` cannot retitle the window,
 * `ESC[2J` cannot clear it, `ESC]52;…` cannot write the clipboard, and what was sent stays readable.
 */
export function printableText(text: string): string {
  return text.replace(CONTROL, (character) => {
    const code = character.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    return code === 0x7f ? '\u2421' : '\ufffd';
  });
}
