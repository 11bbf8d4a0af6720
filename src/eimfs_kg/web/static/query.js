// The query page: YASGUI on this server's endpoint, the library queries as examples (with a
// form for their parameters, bound by the server), and names next to the CURIEs of results.
(function () {
  "use strict";
  const read = (id) => JSON.parse(document.getElementById(id).textContent);
  const examples = read("examples-data");
  const prefixes = read("prefixes-data");
  const startQuery = read("start-query");
  const byName = Object.fromEntries(examples.map((q) => [q.name, q]));

  // The server declares these prefixes for every query: tell the editor's syntax check too, so
  // that `ekg:Gene` without a PREFIX line is not marked as an error.
  const modes = Yasgui.Yasqe.modes;
  const sparql = modes && modes.sparql11;
  if (sparql) {
    modes.sparql11 = Object.assign(function (config, parserConfig) {
      const mode = sparql(config, parserConfig);
      const start = mode.startState;
      mode.startState = function () {
        const state = start.apply(this, arguments);
        state.prefixes = Object.assign({}, prefixes, state.prefixes);
        return state;
      };
      return mode;
    }, sparql);
  }

  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: {
      endpoint: window.location.origin + "/sparql",
      method: "POST",
      acceptHeaderGraph: "text/turtle",
      acceptHeaderSelect: "application/sparql-results+json",
    },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: () => [{ endpoint: window.location.origin + "/sparql" }] },
    corsProxy: undefined,
    persistenceId: "eimfs-kg",
    yasqe: { value: startQuery, autocompleters: [], editorHeight: "320px" },
    yasr: { prefixes: prefixes, defaultPlugin: "table", pluginOrder: ["table", "response"] },
  });
  window.eimfsYasgui = yasgui;
  // CONSTRUCT and DESCRIBE answers are Turtle: show them as the server wrote them.
  yasgui.on("queryResponse", (instance, t) => {
    const kind = t.getYasqe().getQueryType();
    const view = kind === "CONSTRUCT" || kind === "DESCRIBE" ? "response" : "table";
    setTimeout(() => t.getYasr().selectPlugin(view), 0);
  });
  const tab = () => yasgui.getTab();

  // --- examples and their parameters ---------------------------------------------------------
  const select = document.getElementById("examples");
  const form = document.getElementById("params");
  const error = document.getElementById("param-error");
  const description = document.getElementById("example-description");

  function showError(message) {
    error.textContent = message || "";
    error.hidden = !message;
  }

  select.addEventListener("change", () => {
    const q = byName[select.value];
    showError("");
    form.innerHTML = "";
    form.hidden = true;
    description.textContent = q ? q.description : "";
    if (!q) return;
    if (!q.params.length) {
      tab().setQuery(q.text);
      tab().getYasqe().query();
      return;
    }
    for (const p of q.params) {
      const label = document.createElement("label");
      label.textContent = p.name + " ";
      const input = document.createElement("input");
      input.name = p.name;
      input.id = "param-" + p.name;
      input.placeholder = p.help;
      input.size = 40;
      const list = document.createElement("datalist");
      list.id = "choices-" + p.name;
      for (const choice of p.choices) {
        const option = document.createElement("option");
        option.value = choice.split(" (")[0];
        option.label = choice;
        list.appendChild(option);
      }
      input.setAttribute("list", list.id);
      label.appendChild(input);
      form.appendChild(label);
      form.appendChild(list);
      const help = document.createElement("span");
      help.className = "hint";
      help.textContent = " " + p.help;
      form.appendChild(help);
    }
    const run = document.createElement("button");
    run.type = "submit";
    run.id = "run-with-params";
    run.textContent = "Run with these values";
    form.appendChild(run);
    form.hidden = false;
    tab().setQuery(q.text);
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const q = byName[select.value];
    if (!q) return;
    const url = new URLSearchParams({ query: q.name });
    for (const input of form.querySelectorAll("input")) url.append(input.name, input.value.trim());
    const response = await fetch("/api/bind?" + url.toString());
    const data = await response.json();
    if (!response.ok) {
      showError(data.error);
      return;
    }
    showError("");
    tab().setQuery(data.query);
    tab().getYasqe().query();
  });

  // --- names beside the CURIEs of results; links to the entity pages ---------------------------
  const names = {};
  let pending = new Set();
  let timer = null;

  function decorate(link) {
    const iri = link.getAttribute("href");
    const known = names[iri];
    if (!known) return false;
    link.dataset.named = "1";
    if (known.href) {
      link.setAttribute("href", known.href);
      link.removeAttribute("target");
    }
    if (known.name && known.name !== known.curie) {
      const label = document.createElement("span");
      label.className = "result-name";
      label.textContent = known.name + " ";
      link.parentNode.insertBefore(label, link);
    }
    return true;
  }

  async function fetchNames() {
    timer = null;
    const iris = Array.from(pending);
    pending = new Set();
    if (!iris.length) return;
    const response = await fetch("/api/labels", { method: "POST", body: JSON.stringify(iris) });
    if (!response.ok) return;
    Object.assign(names, await response.json());
    for (const iri of iris) if (!names[iri]) names[iri] = { name: "", curie: "", href: "" };
    scan();
  }

  function scan() {
    for (const link of document.querySelectorAll("#yasgui .yasr a.iri:not([data-named])")) {
      const iri = link.getAttribute("href");
      if (!iri || iri.startsWith("/")) continue;
      if (!decorate(link) && !(iri in names)) pending.add(iri);
    }
    if (pending.size && !timer) timer = setTimeout(fetchNames, 30);
  }

  new MutationObserver(scan).observe(document.getElementById("yasgui"), { childList: true, subtree: true });
})();
