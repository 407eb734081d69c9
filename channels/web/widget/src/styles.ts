/**
 * The widget's styles, inside its shadow root. `:host` resets everything the host element could
 * inherit or be given by the site's CSS: `!important` in the shadow tree beats the page's own
 * `!important` rules on the host, and the page's selectors never reach inside.
 */
export function widgetCss(accent: string, side: 'left' | 'right'): string {
  return `
:host{all:initial!important;display:block!important;position:fixed!important;z-index:2147483000!important;bottom:0!important;${side}:0!important;width:0!important;height:0!important;--sb-accent:${accent}}
*{box-sizing:border-box;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:15px;line-height:1.4;letter-spacing:normal;text-transform:none}
button{font:inherit;cursor:pointer;border:0;margin:0}
.launcher{position:fixed;bottom:20px;${side}:20px;width:60px;height:60px;border-radius:50%;background:var(--sb-accent);color:#fff;box-shadow:0 4px 14px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center;padding:0}
.launcher svg{width:28px;height:28px;fill:currentColor}
.launcher:focus-visible,.panel button:focus-visible,textarea:focus-visible,a:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#dc2626;color:#fff;font-size:12px;font-weight:700;display:flex;align-items:center;justify-content:center}
.badge[hidden],[hidden]{display:none!important}
.panel{position:fixed;bottom:90px;${side}:20px;width:370px;height:min(600px,calc(100vh - 110px));background:#fff;color:#111827;border-radius:14px;box-shadow:0 8px 30px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden}
header{display:flex;align-items:center;gap:8px;padding:12px 12px 12px 16px;background:var(--sb-accent);color:#fff}
header h2{flex:1;margin:0;font-size:16px;font-weight:600}
header button{background:rgba(255,255,255,.18);color:#fff;border-radius:8px;padding:6px 10px;font-size:13px}
header .close{width:32px;height:32px;padding:0;font-size:20px;line-height:1}
.banner{padding:6px 12px;background:#fef3c7;color:#92400e;font-size:13px}
.log{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:8px;background:#f9fafb}
.m{max-width:85%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;border:1px solid #e5e7eb;align-self:flex-start}
.m.CUSTOMER{align-self:flex-end;background:var(--sb-accent);color:#fff;border-color:transparent}
.m.CUSTOMER a{color:#fff}
.m.OPERATOR{background:#ecfdf5;border-color:#a7f3d0}
.m a{color:#1d4ed8;text-decoration:underline}
.m small{display:block;margin-top:2px;font-size:12px;opacity:.8}
.typing{align-self:flex-start;color:#6b7280;font-size:13px;font-style:italic}
form{display:flex;gap:8px;padding:10px;border-top:1px solid #e5e7eb;background:#fff;margin:0}
textarea{flex:1;resize:none;height:44px;max-height:120px;padding:10px;border:1px solid #d1d5db;border-radius:10px;color:#111827;background:#fff}
form button{padding:0 16px;border-radius:10px;background:var(--sb-accent);color:#fff}
form button:disabled{opacity:.5;cursor:not-allowed}
@media (max-width:480px){.panel{inset:0;width:100%;height:100%;border-radius:0}}
`;
}
