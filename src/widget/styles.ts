/**
 * The widget's whole stylesheet. It lives inside the shadow root, so page
 * rules can't select anything here; the host element gets `all: initial`
 * inline, so nothing the page sets is inherited either.
 */
export const STYLES = `
.root{--accent:#2563eb;--ox:20px;--oy:20px;--bg:#fff;--soft:#f9fafb;--ink:#1f2937;--muted:#6b7280;--line:#e5e7eb;--field:#d1d5db;--bot:#fff;--agent:#ecfdf5;--agent-line:#a7f3d0;--warn:#b91c1c;font:14px/1.45 system-ui,-apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei",sans-serif;color:var(--ink);text-align:left}
*{box-sizing:border-box}
[hidden]{display:none!important}
button,textarea{font:inherit;color:inherit;margin:0}
button{cursor:pointer}
button:disabled{opacity:.5;cursor:default}
:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.launcher{position:fixed;right:var(--ox);bottom:var(--oy);z-index:2147483647;display:flex;align-items:center;gap:8px;padding:12px 18px;border:0;border-radius:999px;background:var(--accent);color:#fff;font-weight:600;box-shadow:0 4px 16px rgba(0,0,0,.2)}
.launcher svg{width:20px;height:20px;fill:currentColor}
.badge{position:absolute;top:-6px;right:-6px;min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:#dc2626;color:#fff;font-size:12px;line-height:20px;text-align:center}
.left .launcher,.left .panel{right:auto;left:var(--ox)}
.panel{position:fixed;right:var(--ox);bottom:var(--oy);z-index:2147483647;width:370px;height:min(600px,calc(100vh - 40px));display:flex;flex-direction:column;background:var(--bg);border-radius:14px;overflow:hidden;box-shadow:0 12px 40px rgba(0,0,0,.25)}
.head{display:flex;align-items:center;gap:6px;padding:12px 14px;background:var(--accent);color:#fff}
.head h2{flex:1;min-width:0;margin:0;font-size:16px;font-weight:600}
.head button{border:0;border-radius:6px;padding:5px 8px;background:rgba(0,0,0,.22);color:#fff;font-size:12px}
.head button:focus-visible{outline-color:#fff}
.head .x{padding:2px 8px;font-size:18px;line-height:1.2}
.head .mail{display:flex;align-items:center;padding:4px 6px}
.head .mail svg{width:18px;height:18px;fill:currentColor}
.status{display:block;font-size:12px;font-weight:400}
.banner{padding:6px 14px;background:#fef3c7;color:#92400e;font-size:12px}
.log{flex:1;display:flex;flex-direction:column;gap:8px;padding:14px;overflow-y:auto;background:var(--soft)}
.msg{display:flex;flex-direction:column;max-width:80%}
.text{padding:8px 12px;border-radius:14px;white-space:pre-wrap;overflow-wrap:anywhere}
.bot,.agent{align-self:flex-start}
.bot .text{background:var(--bot);border:1px solid var(--line)}
.agent .text{background:var(--agent);border:1px solid var(--agent-line)}
.customer{align-self:flex-end}
.customer .text{background:var(--accent);color:#fff}
.pending{opacity:.55}
.who{margin:0 4px 2px;color:var(--muted);font-size:12px}
.msg time{margin:0 4px 2px;color:var(--muted);font-size:11px}
.customer time,.msg>.state{align-self:flex-end}
.msg>.state{margin:2px 4px 0;color:var(--muted);font-size:11px}
.avatar{display:inline-flex;align-items:center;justify-content:center;width:20px;height:20px;margin-right:4px;border-radius:50%;background:var(--accent);color:#fff;font-size:11px;font-weight:600;vertical-align:middle}
a{color:var(--accent)}
.customer a{color:inherit}
.typing{padding:0 14px 6px;background:var(--soft);color:var(--muted);font-size:12px}
.replies{display:flex;flex-wrap:wrap;gap:6px;padding:0 14px 10px;background:var(--soft)}
.replies button{padding:5px 12px;border:1px solid var(--accent);border-radius:999px;background:var(--bg);color:var(--accent)}
.notice{padding:6px 14px 0;color:var(--warn);font-size:12px}
.leave{display:flex;flex-direction:column;gap:6px;padding:10px 14px;border-top:1px solid var(--line);background:var(--bg)}
.leave h3{margin:0;font-size:14px}
.leave label{font-size:12px;color:var(--ink)}
.leave .check{display:flex;gap:6px;align-items:flex-start}
.leave textarea,.leave input[type=text],.leave input[type=email]{padding:6px 8px;border:1px solid var(--field);border-radius:8px;font:inherit;background:var(--bg);color:var(--ink)}
.leave .row{display:flex;gap:8px}
.leave button{padding:6px 14px;border:0;border-radius:8px;background:var(--accent);color:#fff}
.leave button.secondary{background:var(--line);color:var(--ink)}
.form-error{margin:0;color:var(--warn);font-size:12px}
.compose{display:flex;gap:8px;padding:10px;border-top:1px solid var(--line)}
.compose textarea{flex:1;min-height:38px;max-height:120px;padding:8px 10px;border:1px solid var(--field);border-radius:10px;background:var(--bg);resize:none}
.compose button{padding:0 16px;border:0;border-radius:10px;background:var(--accent);color:#fff}
.compose .attach{flex:none;width:44px;min-height:44px;padding:0;display:flex;align-items:center;justify-content:center;background:var(--soft);color:var(--muted);border:1px solid var(--line)}
.attach svg{width:20px;height:20px;fill:currentColor}
.dropping{outline:3px dashed var(--accent);outline-offset:-6px}
.text .file-img{display:block;padding:0;border:0;background:none;border-radius:8px;overflow:hidden;max-width:100%}
.file-img img{display:block;max-width:200px;height:auto;border-radius:8px;background:var(--line)}
.text .file-doc{display:block;padding:8px 10px;border:1px solid currentColor;border-radius:8px;background:none;text-align:left;overflow-wrap:anywhere}
.text .file-img+span,.text .file-doc+span{display:block;margin-top:6px}
.upload .text{display:flex;flex-direction:column;gap:4px}
.upload .name{font-weight:600;overflow-wrap:anywhere}
.upload.failed{opacity:1}
.upload.failed .text{background:#fef2f2;color:#991b1b;border:1px solid #fecaca}
.upload .actions{display:flex;gap:6px}
.upload .actions button{padding:4px 10px;border:1px solid currentColor;border-radius:6px;background:var(--bg);color:inherit}
.file-gone{font-size:12px;opacity:.8}
@media (max-width:480px){.panel,.left .panel{top:0;right:0;bottom:0;left:0;width:auto;height:auto;border-radius:0}}
@media (pointer:coarse){.head button,.replies button,.compose button,.upload .actions button,.leave button,.text .file-doc{min-height:44px;min-width:44px}.head .x{min-width:44px}}
.root[data-theme=dark]{--bg:#111827;--soft:#1f2937;--ink:#f3f4f6;--muted:#9ca3af;--line:#374151;--field:#4b5563;--bot:#111827;--agent:#064e3b;--agent-line:#047857;--warn:#fca5a5}
@media (prefers-color-scheme:dark){.root[data-theme=auto]{--bg:#111827;--soft:#1f2937;--ink:#f3f4f6;--muted:#9ca3af;--line:#374151;--field:#4b5563;--bot:#111827;--agent:#064e3b;--agent-line:#047857;--warn:#fca5a5}}
`;
