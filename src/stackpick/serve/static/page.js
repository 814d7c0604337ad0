// stackpick serve: keeps the recommendation and the file list in step with the answers.
"use strict";
(function () {
  const form = document.getElementById("answers");
  const $ = (id) => document.getElementById(id);
  let latest = 0;
  let timer = null;

  function query() {
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form)) {
      if (value !== "") params.append(key, value);
    }
    return params.toString();
  }

  function item(text, className) {
    const li = document.createElement("li");
    li.textContent = text;
    if (className) li.className = className;
    return li;
  }

  function fill(list, items) {
    list.replaceChildren(...items);
  }

  function showErrors(messages) {
    const box = $("errors");
    if (!messages.length) { box.replaceChildren(); return; }
    const ul = document.createElement("ul");
    fill(ul, messages.map((m) => item(m)));
    box.replaceChildren(ul);
  }

  function showScores(data) {
    const total = Math.max(1, ...Object.values(data.scores));
    const rows = Object.entries(data.scores).map(([name, score]) => {
      const row = document.createElement("div");
      row.className = "score";
      const label = document.createElement("span");
      label.textContent = name;
      label.id = "score-" + name;
      const meter = document.createElement("meter");
      meter.min = 0; meter.max = total; meter.value = score;
      meter.setAttribute("aria-labelledby", label.id);
      const value = document.createElement("span");
      value.textContent = String(score);
      row.append(label, meter, value);
      return row;
    });
    $("scores").replaceChildren(...rows);
  }

  function describeChanges(changes) {
    return Object.entries(changes).map(([k, v]) => k + " = " + v).join(", ");
  }

  function flipItem(flip) {
    const li = item(describeChanges(flip.changes) + " → " + flip.framework);
    if (flip.rules && flip.rules.length) {
      const why = document.createElement("span");
      why.className = "cite";
      why.textContent = " (" + flip.rules.map((r) => r.change + " " + r.rule).join("; ") + ")";
      li.append(why);
    }
    const apply = document.createElement("button");
    apply.type = "button";
    apply.className = "apply";
    apply.textContent = "Try it";
    apply.setAttribute("aria-label", "Try " + describeChanges(flip.changes));
    apply.addEventListener("click", () => {
      for (const [key, value] of Object.entries(flip.changes)) {
        const field = form.elements.namedItem(key);
        if (field) field.value = value === true ? "yes" : value === false ? "no" : String(value);
      }
      update();
    });
    li.append(" ", apply);
    return li;
  }

  function showRecommendation(data) {
    $("summary").textContent = data.summary;
    const names = { flask: "Flask", django: "Django" };
    const [first, second] = Object.entries(data.scores).sort((a, b) => b[1] - a[1]);
    $("short").textContent = "Recommended: " + (names[data.framework] || data.framework) +
      (first && second ? " (" + first[1] + " points to " + second[1] + ")" : "");
    showScores(data);
    $("margin").textContent = data.margin
      ? "Margin: " + data.margin.word + " (" + data.margin.leader + " leads by " +
        data.margin.points + " point" + (data.margin.points === 1 ? "" : "s") +
        ((data.margin.depends_on || []).length
          ? "; one changed answer turns it: " + data.margin.depends_on.join(", ") : "") + ")"
      : "";
    fill($("reasons"), data.reasons.map((r) => {
      const li = item("");
      const weight = document.createElement("span");
      weight.className = "weight";
      weight.textContent = "+" + r.weight + " " + r.framework + ": ";
      const cite = document.createElement("span");
      cite.className = "cite";
      cite.textContent = " [" + r.rule + "; guidance " + r.sources.join(", ") + "]";
      li.append(weight, r.reason, cite);
      return li;
    }));
    if (Array.isArray(data.flips)) {
      $("flips-section").hidden = false;
      fill($("flips"), data.flips.length
        ? data.flips.map(flipItem)
        : [item("nothing short of changing three or more answers")]);
    }
    fill($("notes"), (data.notes || []).map((n) => item("note: " + n)));
  }

  async function getJSON(path, qs) {
    const response = await fetch(path + (qs ? "?" + qs : ""), { headers: { Accept: "application/json" } });
    const data = await response.json();
    return { ok: response.ok, data: data };
  }

  function share(qs) {
    // The answers live in the address, so a link reproduces this page and its zip.
    const address = location.pathname + (qs ? "?" + qs : "");
    history.replaceState(null, "", address);
    $("share").href = address;
  }

  async function update() {
    const mine = ++latest;
    const qs = query();
    share(qs);
    form.setAttribute("aria-busy", "true");
    try {
      const [rec, files] = await Promise.all([getJSON("/api/recommend", qs), getJSON("/api/files", qs)]);
      if (mine !== latest) return;
      const problems = [];
      if (rec.ok) showRecommendation(rec.data); else problems.push(...rec.data.errors);
      if (files.ok) {
        $("folder").textContent = files.data.folder + "/ (" + files.data.files.length + " files)";
        fill($("files"), files.data.files.map((f) => item(f)));
      } else {
        for (const m of files.data.errors) if (!problems.includes(m)) problems.push(m);
      }
      showErrors(problems);
      $("download").disabled = problems.length > 0;
    } catch (error) {
      if (mine === latest) showErrors(["the server did not answer: " + error]);
    } finally {
      if (mine === latest) form.removeAttribute("aria-busy");
    }
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(update, 200);
  }

  form.addEventListener("change", soon);
  form.addEventListener("input", soon);
  update();
})();
