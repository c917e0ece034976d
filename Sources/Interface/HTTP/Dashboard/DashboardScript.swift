/// The dashboard's script: a small hash router over the JSON API. Every element is made with `createElement`
/// and every user string set with `textContent` (see `el`), never parsed as HTML.
enum DashboardScript {
    static let source = #"""
        "use strict";
        (function () {
          const view = document.getElementById("view");
          const errorBox = document.getElementById("error");
          let refreshTimer = null;

          // el("td", {class: "wrap"}, "text", child): an element whose string children become text nodes.
          function el(tag, attributes, ...children) {
            const node = document.createElement(tag);
            for (const [name, value] of Object.entries(attributes || {})) {
              if (value === undefined || value === null || value === false) continue;
              if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
              else node.setAttribute(name, value === true ? "" : String(value));
            }
            for (const child of children.flat()) {
              if (child === undefined || child === null) continue;
              node.append(child instanceof Node ? child : document.createTextNode(String(child)));
            }
            return node;
          }

          function svg(tag, attributes) {
            const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
            for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
            return node;
          }

          async function api(path, options) {
            const init = Object.assign({ credentials: "same-origin", headers: {} }, options || {});
            if (init.body !== undefined) init.headers["Content-Type"] = "application/json";
            const response = await fetch(path, init);
            const text = await response.text();
            const body = text ? JSON.parse(text) : {};
            if (!response.ok) {
              const error = body.error || {};
              throw new Error(response.status + " " + (error.code || "") + ": " + (error.message || text));
            }
            return body;
          }

          function showError(error) {
            errorBox.textContent = error ? String(error.message || error) : "";
            errorBox.hidden = !error;
          }

          function status(value) { return el("span", { class: "status " + value, "data-status": value }, value); }

          function time(text) {
            if (!text) return "–";
            const date = new Date(text);
            return isNaN(date) ? text : date.toLocaleString();
          }

          function age(seconds) {
            if (seconds === null || seconds === undefined) return "–";
            if (seconds < 60) return seconds.toFixed(1) + " s";
            if (seconds < 3600) return (seconds / 60).toFixed(1) + " min";
            return (seconds / 3600).toFixed(1) + " h";
          }

          function table(headings, rows) {
            return el("table", {}, el("thead", {}, el("tr", {}, headings.map((h) => el("th", {}, h)))),
              el("tbody", {}, rows));
          }

          function card(label, value, name) {
            return el("div", { class: "card", "data-card": name }, el("div", { class: "value" }, value), el("div", { class: "label" }, label));
          }

          function query(params) {
            const parts = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== "");
            return parts.length ? "?" + parts.map(([k, v]) => encodeURIComponent(k) + "=" + encodeURIComponent(v)).join("&") : "";
          }

          function chart(minutes) {
            const width = 900, height = 180, pad = 28;
            const series = [["accepted", "var(--accent)"], ["sent", "var(--sent)"], ["failed", "var(--failed)"]];
            const top = Math.max(1, ...minutes.flatMap((m) => series.map(([key]) => m[key])));
            const box = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img", "aria-label": "Throughput, last 15 minutes" });
            const step = (width - 2 * pad) / Math.max(1, minutes.length);
            const bar = step / (series.length + 1);
            minutes.forEach((minute, index) => {
              series.forEach(([key, color], s) => {
                const h = (height - 2 * pad) * minute[key] / top;
                const rect = svg("rect", { x: pad + index * step + s * bar, y: height - pad - h, width: bar * 0.9, height: h, fill: color });
                const title = svg("title", {});
                title.textContent = key + " " + minute[key] + " at " + time(minute.start);
                rect.append(title);
                box.append(rect);
              });
              if (index % 3 === 0) {
                const label = svg("text", { x: pad + index * step, y: height - 8, "font-size": 11, fill: "currentColor" });
                label.textContent = new Date(minute.start).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
                box.append(label);
              }
            });
            const axis = svg("text", { x: 4, y: pad - 8, "font-size": 11, fill: "currentColor" });
            axis.textContent = "max " + top + "/min";
            box.append(axis);
            const legend = el("div", { class: "legend" }, series.map(([key, color]) =>
              el("span", {}, el("span", { class: "swatch", style: null, "data-color": key }), key)));
            legend.querySelectorAll(".swatch").forEach((swatch, i) => { swatch.style.background = series[i][1]; });
            return el("div", { class: "chart" }, box, legend);
          }

          const views = {
            async overview() {
              const [queue, throughput] = await Promise.all([api("/v1/queue"), api("/v1/throughput?minutes=15")]);
              const totals = queue.totals;
              const rows = queue.channels.map((c) => el("tr", { "data-channel": c.channel },
                el("td", {}, c.channel), el("td", {}, c.ready), el("td", {}, c.scheduled), el("td", {}, c.in_flight),
                el("td", {}, c.dead), el("td", {}, age(c.oldest_ready_age_s))));
              return [
                el("h1", {}, "Overview"),
                el("div", { class: "cards" }, card("ready", totals.ready, "ready"), card("scheduled", totals.scheduled, "scheduled"),
                  card("in flight", totals.in_flight, "in_flight"), card("dead letters", totals.dead, "dead"),
                  card("oldest ready", age(totals.oldest_ready_age_s), "oldest"), card("live workers", queue.workers.length, "workers")),
                el("h2", {}, "Throughput, last 15 minutes"), chart(throughput.minutes),
                el("h2", {}, "Channels"),
                table(["channel", "ready", "scheduled", "in flight", "dead", "oldest ready"], rows),
                queue.complete ? null : el("p", { class: "muted" }, "Per-channel counts cover the oldest 10,000 units of each list."),
              ];
            },

            async notifications(params) {
              const filters = { status: params.get("status"), topic: params.get("topic"), user_id: params.get("user_id"),
                since: params.get("since"), until: params.get("until"), cursor: params.get("cursor"), limit: 50 };
              const page = await api("/v1/notifications" + query(filters));
              const field = (name, label) => el("label", {}, label, el("input", { name, value: filters[name] || "" }));
              const statusSelect = el("select", { name: "status" }, ["", "pending", "scheduled", "sent", "partial", "failed", "canceled"]
                .map((s) => el("option", { value: s, selected: s === (filters.status || "") }, s || "any")));
              const form = el("form", { class: "filters", onsubmit: (event) => {
                event.preventDefault();
                const data = new FormData(event.target);
                const next = {};
                for (const [key, value] of data.entries()) if (value) next[key] = value;
                location.hash = "#/notifications" + query(next);
              } }, el("label", {}, "status", statusSelect), field("topic", "topic"), field("user_id", "user"),
                field("since", "since (RFC 3339)"), field("until", "until (RFC 3339)"), el("button", { class: "primary", type: "submit" }, "Filter"));
              const rows = page.items.map((n) => el("tr", { class: "clickable", "data-id": n.id,
                onclick: () => { location.hash = "#/notification/" + encodeURIComponent(n.id); } },
                el("td", {}, n.id), el("td", {}, time(n.created_at)), el("td", { class: "wrap" }, n.topic || "–"),
                el("td", {}, status(n.status)), el("td", { class: "wrap" }, n.message || ""),
                el("td", {}, n.deliveries.map((d) => el("div", {}, d.channel + " ", status(d.status))))));
              const next = page.next_cursor ? el("button", { onclick: () => {
                const more = Object.assign({}, filters, { cursor: page.next_cursor, limit: undefined });
                location.hash = "#/notifications" + query(more);
              } }, "Next page") : null;
              return [el("h1", {}, "Notifications"), form,
                table(["id", "created", "topic", "status", "message", "deliveries"], rows),
                page.items.length ? null : el("p", { class: "muted" }, "No notifications on this page."),
                el("div", { class: "actions" }, next)];
            },

            async notification(params, id) {
              const n = await api("/v1/notifications/" + encodeURIComponent(id));
              const failed = n.deliveries.some((d) => d.status === "failed");
              const retry = failed ? el("button", { class: "primary", "data-action": "retry-dead-letter", onclick: async () => {
                if (!confirm("Retry the dead letters of " + n.id + "?")) return;
                const result = await api("/v1/dead-letters/retry", { method: "POST", body: JSON.stringify({ ids: [n.id] }) });
                showError(null);
                render();
                return result;
              } }, "Retry its dead letters") : null;
              const deliveries = n.deliveries.map((d) => el("div", { class: "delivery", "data-channel": d.channel },
                el("div", {}, el("strong", {}, d.channel), d.recipient ? " → " + d.recipient : "", " ", status(d.status),
                  el("span", { class: "muted" }, "  attempts " + d.attempts + ", updated " + time(d.updated_at))),
                d.reason ? el("div", { class: "muted" }, d.reason) : null,
                el("ol", { class: "timeline" }, (d.history || []).map((a) => el("li", { class: a.outcome },
                  time(a.at) + " · " + a.outcome + (a.duration_ms !== undefined ? " · " + a.duration_ms + " ms" : ""),
                  a.error ? el("div", { class: "muted wrap" }, a.error) : null)),
                  (d.history || []).length ? null : el("li", {}, "no attempt yet"))));
              return [el("h1", {}, "Notification " + n.id),
                el("div", { class: "cards" }, card("status", status(n.status), "status"), card("topic", n.topic || "–", "topic"),
                  card("created", time(n.created_at), "created")),
                n.subject ? el("h2", {}, "Subject") : null, n.subject ? el("pre", { "data-field": "subject" }, n.subject) : null,
                el("h2", {}, "Message"), el("pre", { "data-field": "message" }, n.message || ""),
                el("div", { class: "actions" }, retry),
                el("h2", {}, "Deliveries and attempts"), deliveries];
            },

            async "dead-letters"(params) {
              const channel = params.get("channel") || "";
              const page = await api("/v1/dead-letters" + query({ channel, cursor: params.get("cursor"), limit: 100 }));
              const queue = await api("/v1/queue");
              const boxes = [];
              const rows = page.items.map((letter) => {
                const box = el("input", { type: "checkbox", value: letter.id, "aria-label": "select " + letter.id });
                boxes.push(box);
                return el("tr", { "data-id": letter.id }, el("td", {}, box), el("td", {}, letter.notification_id),
                  el("td", {}, letter.channel), el("td", {}, letter.recipient || ""), el("td", {}, letter.attempts),
                  el("td", {}, time(letter.dead_lettered_at)), el("td", { class: "wrap" }, letter.reason));
              });
              const selected = () => boxes.filter((b) => b.checked).map((b) => b.value);
              async function change(kind, selection, description) {
                if (!confirm((kind === "retry" ? "Retry " : "Purge ") + description + "?")) return;
                const result = kind === "retry"
                  ? await api("/v1/dead-letters/retry", { method: "POST", body: JSON.stringify(selection) })
                  : await api("/v1/dead-letters", { method: "DELETE", body: JSON.stringify(selection) });
                showError(null);
                await render();
                return result;
              }
              const scope = channel ? { channel } : {};
              const scopeText = channel ? "every dead letter of " + channel : "every dead letter";
              const picker = el("select", { onchange: (event) => { location.hash = "#/dead-letters" + query({ channel: event.target.value }); } },
                el("option", { value: "" }, "all channels"),
                queue.channels.map((c) => el("option", { value: c.channel, selected: c.channel === channel }, c.channel + " (" + c.dead + ")")));
              return [el("h1", {}, "Dead letters"), el("label", {}, "channel", picker),
                el("div", { class: "actions" },
                  el("button", { "data-action": "retry-selected", onclick: () => { const ids = selected(); if (ids.length) change("retry", { ids }, ids.length + " selected"); } }, "Retry selected"),
                  el("button", { class: "danger", "data-action": "purge-selected", onclick: () => { const ids = selected(); if (ids.length) change("purge", { ids }, ids.length + " selected"); } }, "Purge selected"),
                  el("button", { "data-action": "retry-all", onclick: () => change("retry", scope, scopeText) }, "Retry all"),
                  el("button", { class: "danger", "data-action": "purge-all", onclick: () => change("purge", scope, scopeText) }, "Purge all")),
                table(["", "notification", "channel", "recipient", "attempts", "dead-lettered", "reason"], rows),
                page.items.length ? null : el("p", { class: "muted" }, "No dead letters."),
                page.next_cursor ? el("button", { onclick: () => { location.hash = "#/dead-letters" + query({ channel, cursor: page.next_cursor }); } }, "Next page") : null];
            },

            async workers() {
              const queue = await api("/v1/queue");
              const rows = queue.workers.map((w) => el("tr", { "data-worker": w.id }, el("td", {}, w.id),
                el("td", {}, time(w.last_heartbeat)), el("td", {}, age(w.heartbeat_age_s)), el("td", {}, w.in_flight)));
              return [el("h1", {}, "Workers"), table(["worker", "last heartbeat", "ago", "in flight"], rows),
                queue.workers.length ? null : el("p", { class: "muted" }, "No live worker.")];
            },

            async catalog() {
              const [topics, templates] = await Promise.all([api("/v1/topics"), api("/v1/templates")]);
              const topicRows = topics.topics.map((t) => el("tr", { "data-topic": t.topic }, el("td", {}, t.topic),
                el("td", {}, (t.fallback || t.channels || []).join(t.fallback ? " → " : ", ")),
                el("td", {}, t.throttle ? t.throttle.limit + " per " + t.throttle.window_s + " s" : "–"),
                el("td", { class: "wrap" }, t.digest ? "every " + t.digest.window_s + " s: " + t.digest.template : "–")));
              const templateRows = templates.templates.map((t) => el("tr", { "data-template": t.name }, el("td", {}, t.name),
                el("td", { class: "wrap" }, t.subject || ""), el("td", { class: "wrap" }, t.body),
                el("td", {}, Object.keys(t.channels || {}).join(", "))));
              return [el("h1", {}, "Templates & topics"), el("h2", {}, "Topics"),
                table(["topic", "channels", "throttle", "digest"], topicRows), el("h2", {}, "Templates"),
                table(["name", "subject", "body", "variants"], templateRows)];
            },
          };

          async function render() {
            clearTimeout(refreshTimer);
            const hash = location.hash.replace(/^#\/?/, "") || "overview";
            const [path, search] = hash.split("?");
            const [name, ...rest] = path.split("/");
            const params = new URLSearchParams(search || "");
            const viewName = name === "notification" ? "notification" : (views[name] ? name : "overview");
            document.querySelectorAll("nav a").forEach((a) => a.classList.toggle("active",
              a.dataset.view === (viewName === "notification" ? "notifications" : viewName)));
            try {
              const started = performance.now();
              const content = await views[viewName](params, decodeURIComponent(rest.join("/")));
              view.replaceChildren(...[content].flat(Infinity).filter(Boolean));
              view.dataset.view = viewName;
              view.dataset.loaded = String(Date.now());
              window.heraldRenderedMs = performance.now() - started;
              window.heraldLoadedAt = performance.now();
              showError(null);
            } catch (error) {
              showError(error);
            }
            if (viewName === "overview" || viewName === "workers" || viewName === "notification") {
              refreshTimer = setTimeout(render, 3000);
            }
          }

          window.addEventListener("hashchange", render);
          render();
        })();
        """#
}
