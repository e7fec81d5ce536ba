/** The report's inline stylesheet (no external fonts or files: the report must work offline). */
export const REPORT_CSS = `
body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:0;background:#fafafa;color:#212121}
main{max-width:1100px;margin:0 auto;padding:16px 24px}
header.verdict{padding:12px 16px;border-radius:6px;color:#fff}
header.verdict h1{margin:0 0 4px;font-size:1.6em}header.verdict p{margin:0}
header.pass{background:#2e7d32}header.fail{background:#c62828}header.inconclusive{background:#8d6e00}
.banner{background:#fff3cd;border:1px solid #e0c36a;padding:8px 12px;border-radius:4px;font-weight:bold}
section{margin:20px 0}h2{font-size:1.2em;border-bottom:1px solid #ddd;padding-bottom:4px}
table{border-collapse:collapse;margin:8px 0;font-size:.9em}th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f0f0f0}table.figures td:not(:first-child){text-align:right}
.pass{color:#2e7d32;font-weight:bold}.fail{color:#c62828;font-weight:bold}.missing{color:#8d6e00;font-style:italic}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}dl.meta dt{font-weight:bold}dl.meta dd{margin:0}
figure.chart{background:#fff;border:1px solid #e0e0e0;border-radius:4px;padding:8px;margin:12px 0;overflow-x:auto}
figure.chart svg{max-width:100%;height:auto;display:block}figure.unavailable{color:#8d6e00;background:#fffdf5}
figcaption{font-size:.85em;color:#616161;margin-top:4px}
p.headline{font-size:1.25em;line-height:1.4;margin:16px 0;padding:10px 14px;background:#fff;border-left:4px solid #4c78a8}
dl.settings{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:2px 12px;margin:0}dl.settings dt{color:#555}dl.settings dd{margin:0;overflow-wrap:anywhere}
dl.settings dl.settings{padding-left:4px;border-left:2px solid #eee}
table.phases td:last-child{min-width:40%}
pre{background:#f5f5f5;padding:8px;overflow-x:auto;font-size:.85em;max-height:400px}
.ev-injection{color:#c62828;font-weight:bold}.ev-recovery{color:#2e7d32;font-weight:bold}.ev-phase{color:#616161}
`;
