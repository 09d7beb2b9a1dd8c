/**
 * The HTML report's inline style and script. Nothing is fetched: the page's Content-Security-Policy
 * forbids every network source, so a report opened from disk, an S3 console or a mail attachment
 * behaves the same and leaks nothing.
 */

export const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export const STYLE = `
:root{--bg:#f7f8fa;--fg:#1d2330;--muted:#5b6475;--line:#d9dde5;--card:#fff;--crit:#8b0d1a;--high:#c2410c;--med:#a16207;--low:#1d4ed8;--info:#4b5563;--ok:#15803d}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
header{background:#1d2330;color:#fff;padding:16px 24px}
header h1{margin:0 0 4px;font-size:20px}
header .meta{color:#c9d1e0;font-size:13px}
nav{padding:8px 24px;background:#fff;border-bottom:1px solid var(--line);position:sticky;top:0;z-index:2}
nav a{margin-right:16px;color:var(--fg);text-decoration:none;font-weight:600}
main{padding:16px 24px 48px;max-width:1600px}
h2{font-size:17px;margin:28px 0 10px}
.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:120px}
.card .n{font-size:24px;font-weight:700}
.card .l{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card.sev-CRITICAL .n{color:var(--crit)}.card.sev-HIGH .n{color:var(--high)}.card.sev-MEDIUM .n{color:var(--med)}.card.sev-LOW .n{color:var(--low)}
.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:8px 0}
.filters select,.filters input{font:inherit;padding:4px 6px;border:1px solid var(--line);border-radius:4px;background:#fff}
.filters input{min-width:260px}
.count{color:var(--muted)}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line)}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid var(--line)}
th{background:#eef0f4;font-size:12px;text-transform:uppercase;letter-spacing:.03em}
td code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
.sev{display:inline-block;padding:1px 6px;border-radius:4px;color:#fff;font-size:11px;font-weight:700}
.sev.CRITICAL{background:var(--crit)}.sev.HIGH{background:var(--high)}.sev.MEDIUM{background:var(--med)}.sev.LOW{background:var(--low)}.sev.INFO{background:var(--info)}
.ne{color:var(--muted);font-style:italic}
details summary{cursor:pointer;color:var(--muted)}
.path{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;background:#f2f4f8;padding:4px 6px;border-radius:4px;margin:4px 0}
.resource{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 14px;margin:12px 0}
.resource h3{margin:0 0 4px;font-size:15px}
.resource .line{color:var(--muted);font-size:13px;margin-bottom:8px}
.diagram-wrap{overflow-x:auto}
svg.diagram{display:block;font:11px system-ui,sans-serif}
svg.diagram .node rect{fill:#fff;stroke:#8a94a8;stroke-width:1.2}
svg.diagram .node-label{font-weight:600;fill:#1d2330}
svg.diagram .node-sub{fill:#5b6475;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:10px}
svg.diagram .dir-resource rect{fill:#e7f0ff;stroke:#1d4ed8;stroke-width:2}
svg.diagram .node-internet rect{fill:#fdecec;stroke:#b91c1c}
svg.diagram .node-igw rect,svg.diagram .node-eigw rect{fill:#fff4e5;stroke:#c2410c}
svg.diagram .node-firewall rect{fill:#eaf7ee;stroke:#15803d}
svg.diagram .node-nat rect{fill:#f3f0ff;stroke:#6d28d9}
svg.diagram .dir-api rect{fill:#effaf5;stroke:#047857}
svg.diagram .dir-blocked rect{fill:#fff;stroke:#b91c1c;stroke-dasharray:4 3}
svg.diagram .edge path{fill:none;stroke:#6b7280;stroke-width:1.4}
svg.diagram .edge-blocked path{stroke:#b91c1c;stroke-dasharray:5 4}
svg.diagram .edge-api path{stroke:#047857}
svg.diagram .edge-api-denied path{stroke:#9ca3af;stroke-dasharray:2 3}
svg.diagram .arrowhead{fill:#6b7280}
svg.diagram .edge-label{fill:#374151;font-size:10px}
svg.diagram .edge-label-bg{fill:#fff;stroke:none}
svg.diagram .node-label{font-size:11px}
.note{color:var(--muted);font-size:13px}
a{color:#1d4ed8}
footer{color:var(--muted);font-size:12px;padding:0 24px 24px}
`;

/** Filters the findings table: severity, rule, account, region and free text; counts what is shown. */
export const SCRIPT = `
(function(){
  var rows=Array.prototype.slice.call(document.querySelectorAll('#findings tbody tr.finding'));
  var text=rows.map(function(r){return r.textContent.toLowerCase();});
  var ids=['f-severity','f-rule','f-account','f-region','f-search'];
  var el={};ids.forEach(function(id){el[id]=document.getElementById(id);});
  function apply(){
    var sev=el['f-severity'].value,rule=el['f-rule'].value,acct=el['f-account'].value,reg=el['f-region'].value;
    var q=el['f-search'].value.trim().toLowerCase(),shown=0;
    rows.forEach(function(r,i){
      var ok=(!sev||r.getAttribute('data-severity')===sev)&&(!rule||r.getAttribute('data-rule')===rule)&&
        (!acct||r.getAttribute('data-account')===acct)&&(!reg||r.getAttribute('data-region')===reg)&&
        (!q||text[i].indexOf(q)!==-1);
      r.hidden=!ok;if(ok)shown++;
    });
    document.getElementById('f-count').textContent=shown+' of '+rows.length+' shown';
  }
  ids.forEach(function(id){if(el[id])el[id].addEventListener('input',apply);});
  apply();
})();
`;
