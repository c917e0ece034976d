/// The dashboard's stylesheet: plain CSS, system fonts, light and dark.
enum DashboardStyle {
    static let source = #"""
        :root { --fg: #1d2430; --muted: #5d6b7e; --bg: #f6f7f9; --card: #fff; --line: #dfe3ea; --accent: #2f6fde;
          --sent: #1f9d55; --retry: #d08700; --failed: #d23c3c; --font: system-ui, -apple-system, "Segoe UI", sans-serif; }
        @media (prefers-color-scheme: dark) {
          :root { --fg: #e4e8ef; --muted: #9aa6b8; --bg: #151a21; --card: #1d232c; --line: #2e3642; --accent: #6ea0ff; }
        }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 var(--font); color: var(--fg); background: var(--bg); }
        header { display: flex; gap: 24px; align-items: center; padding: 10px 20px; background: var(--card);
          border-bottom: 1px solid var(--line); }
        .brand { font-weight: 700; font-size: 16px; }
        nav a { color: var(--muted); text-decoration: none; margin-right: 16px; padding: 4px 0; }
        nav a.active { color: var(--fg); border-bottom: 2px solid var(--accent); }
        main { padding: 20px; max-width: 1280px; }
        h1 { font-size: 20px; margin: 0 0 16px; }
        h2 { font-size: 15px; margin: 24px 0 8px; }
        #error { margin: 12px 20px 0; padding: 8px 12px; border-radius: 6px; background: #fde8e8; color: #8a1f1f; }
        .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 12px; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
        .card .value { font-size: 24px; font-weight: 600; }
        .card .label { color: var(--muted); font-size: 12px; }
        table { width: 100%; border-collapse: collapse; background: var(--card); border: 1px solid var(--line); }
        th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { color: var(--muted); font-weight: 500; font-size: 12px; }
        td.wrap { white-space: pre-wrap; word-break: break-word; max-width: 420px; }
        tr.clickable { cursor: pointer; }
        tr.clickable:hover { background: rgba(47, 111, 222, 0.06); }
        .status { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; background: var(--line); }
        .status.sent { background: rgba(31, 157, 85, 0.15); color: var(--sent); }
        .status.failed, .status.partial { background: rgba(210, 60, 60, 0.15); color: var(--failed); }
        .status.retrying, .status.pending, .status.scheduled, .status.queued, .status.standby { background: rgba(208, 135, 0, 0.15); color: var(--retry); }
        form.filters { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; margin-bottom: 12px; }
        label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 2px; }
        input, select, button { font: inherit; padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px;
          background: var(--card); color: var(--fg); }
        button { cursor: pointer; }
        button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
        button.danger { border-color: var(--failed); color: var(--failed); }
        .actions { display: flex; gap: 8px; margin: 12px 0; flex-wrap: wrap; }
        .muted { color: var(--muted); }
        .chart svg { width: 100%; height: 180px; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
        .legend { display: flex; gap: 16px; font-size: 12px; color: var(--muted); margin-top: 4px; }
        .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; }
        .timeline { list-style: none; margin: 4px 0 0; padding: 0 0 0 14px; border-left: 2px solid var(--line); }
        .timeline li { position: relative; margin: 0 0 8px; padding-left: 8px; }
        .timeline li::before { content: ""; position: absolute; left: -21px; top: 5px; width: 10px; height: 10px;
          border-radius: 50%; background: var(--muted); }
        .timeline li.sent::before { background: var(--sent); }
        .timeline li.retry::before, .timeline li.rate_limited::before { background: var(--retry); }
        .timeline li.failed::before { background: var(--failed); }
        .delivery { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; margin-bottom: 10px; }
        pre { white-space: pre-wrap; word-break: break-word; background: var(--card); border: 1px solid var(--line);
          border-radius: 8px; padding: 10px; margin: 0; }
        """#
}
