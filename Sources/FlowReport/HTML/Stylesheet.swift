/// The one stylesheet of every page and report, inline in each.
enum Stylesheet {
    static let css = """
        :root{--fg:#1d2330;--quiet:#667085;--line:#d9dee7;--bg:#fff;--panel:#f6f8fb;--ok:#2e9d5b;--bad:#d23b3b;
        --run:#2f6fd6;--stop:#d98a1c;--reuse:#3a9fa8;--idle:#a4acb9}
        *{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
        main{max-width:1200px;margin:0 auto;padding:16px 24px 48px}
        nav.top{background:#1d2330;color:#fff;padding:8px 24px;display:flex;gap:18px;align-items:center}
        nav.top a{color:#fff;text-decoration:none;font-weight:600}
        h1{font-size:22px;margin:8px 0 6px;overflow-wrap:anywhere}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
        h3{font-size:15px;margin:16px 0 6px}h4{font-size:13px;margin:10px 0 4px;color:var(--quiet)}
        a{color:#2056b8}code,pre{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
        pre{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:8px 10px;white-space:pre-wrap;
        overflow-wrap:anywhere;max-height:480px;overflow:auto;margin:4px 0}
        pre.traceback,pre.failure{background:#fff4f4;border-color:#f1c4c4}
        .quiet{color:var(--quiet)}dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0}
        dl.facts dt{color:var(--quiet)}dl.facts dd{margin:0;overflow-wrap:anywhere}
        table{border-collapse:collapse;width:100%;margin:6px 0}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);
        vertical-align:top;overflow-wrap:anywhere}th{font-weight:600;color:var(--quiet);font-size:12.5px;white-space:nowrap;overflow-wrap:normal}
        td.num{text-align:right;white-space:nowrap}td.name{font-weight:600;min-width:7em}td.error{color:var(--bad)}
        .repr{white-space:pre-wrap;overflow-wrap:anywhere}
        .badge{display:inline-block;white-space:nowrap;overflow-wrap:normal;padding:0 8px;border-radius:10px;font-size:12px;font-weight:600;color:#fff;background:var(--idle)}
        .badge.state-completed{background:var(--ok)}.badge.state-failed{background:var(--bad)}.badge.state-running{background:var(--run)}
        .badge.state-interrupted{background:var(--stop)}.badge.state-reused{background:var(--reuse)}
        ul.tags{list-style:none;padding:0;margin:4px 0;display:flex;flex-wrap:wrap;gap:6px}
        li.tag{background:#eef2f8;border:1px solid var(--line);border-radius:10px;padding:0 8px;font-size:12px;overflow-wrap:anywhere}
        .figure{overflow-x:auto;border:1px solid var(--line);border-radius:8px;padding:8px;background:#fcfdfe}
        svg text{font:12px system-ui,sans-serif;fill:var(--fg)}svg .name{font-weight:600;text-anchor:middle}
        svg .line{text-anchor:middle;fill:var(--quiet);font-size:11px}svg .edge{fill:none;stroke:#8b94a3;stroke-width:1.4}
        svg .edge.loop{stroke-dasharray:5 4}svg .arrowhead{fill:#8b94a3}svg .edge-label{font-size:11px;fill:var(--quiet)}
        svg .box{fill:#eef1f5;stroke:var(--idle);stroke-width:1.5}svg .stack{fill:#f7f8fa}
        .state-completed .box{fill:#e3f4ea;stroke:var(--ok)}.state-failed .box{fill:#fbe4e4;stroke:var(--bad)}
        .state-running .box{fill:#e4edfb;stroke:var(--run)}.state-interrupted .box{fill:#fbefdc;stroke:var(--stop)}
        .state-reused .box{fill:#e2f3f4;stroke:var(--reuse)}.state-not-run .box{fill:#fff;stroke-dasharray:4 3}
        svg .lane-label{font-size:11.5px}svg .heading .lane-label{font-weight:700;fill:var(--quiet);text-transform:uppercase;font-size:10.5px}
        svg .lane-rule,svg .tick{stroke:#eef0f3}svg .tick-label{font-size:10.5px;fill:var(--quiet)}
        svg .bar{stroke:none}svg .bar.failed{stroke:var(--bad);stroke-width:2;fill-opacity:.55}svg .bar.running{fill-opacity:.6}
        svg .bar.retry{stroke-dasharray:3 2}
        .c0{fill:#4c78a8}.c1{fill:#f58518}.c2{fill:#54a24b}.c3{fill:#b279a2}.c4{fill:#e45756}.c5{fill:#72b7b2}.c6{fill:#eeca3b}.c7{fill:#9d755d}
        .preview{margin:6px 0}.preview-image{max-width:100%;max-height:420px;border:1px solid var(--line);background:#fff}
        .scroll{overflow-x:auto;max-width:100%}table.frame{width:auto;font-size:12.5px}table.frame td,table.frame th{white-space:nowrap;max-width:320px;overflow:hidden;text-overflow:ellipsis}
        table.frame tr.dtypes th{font-weight:400;font-style:italic}
        .tree ul{list-style:none;margin:0;padding-left:18px}.tree .key{font-weight:600}.tree .type{color:var(--quiet);font-size:12px}
        nav.pager{display:flex;gap:10px;align-items:center;margin:6px 0}.page-off{color:var(--idle)}
        form.filters{display:flex;flex-wrap:wrap;gap:10px;align-items:end;margin:8px 0}form.filters label{display:flex;flex-direction:column;font-size:12px;color:var(--quiet)}
        .side{display:grid;grid-template-columns:1fr 1fr;gap:20px}.differs td{background:#fff7e0}
        article.attempt{border:1px solid var(--line);border-radius:8px;padding:4px 14px 10px;margin:10px 0}
        .legend{display:flex;flex-wrap:wrap;gap:12px;font-size:12px;margin:6px 0}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
        """
}
