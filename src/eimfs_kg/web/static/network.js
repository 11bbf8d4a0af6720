// Network pictures with Cytoscape.js: an entity's neighbourhood and the gene-mechanism network.
// Layouts are deterministic (concentric rings by role; fixed columns), and every node opens its page.
(function () {
  "use strict";
  const palette = ["#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"];

  function open(cy) {
    cy.on("tap", "node", (event) => {
      const href = event.target.data("href");
      if (href) window.location.href = href;
    });
  }

  window.drawNeighbourhood = function (containerId, dataId) {
    const data = JSON.parse(document.getElementById(dataId).textContent);
    const cy = cytoscape({
      container: document.getElementById(containerId),
      elements: data.nodes.concat(data.edges),
      style: [
        { selector: "node", style: { label: "data(label)", "font-size": 9, "text-wrap": "ellipsis",
          "text-max-width": 110, "background-color": "#7a9cc6", width: 16, height: 16, color: "#222",
          "text-valign": "bottom", "text-margin-y": 2, "text-background-color": "#fff",
          "text-background-opacity": 0.75, "text-background-padding": 1 } },
        { selector: "node[role = 'focus']", style: { "background-color": "#d62728", width: 26, height: 26,
          "font-size": 12, "font-weight": "bold" } },
        { selector: "node[role = 'in']", style: { "background-color": "#ff7f0e" } },
        { selector: "edge", style: { width: 1, "line-color": "#bbb", "target-arrow-color": "#bbb",
          "target-arrow-shape": "triangle", "curve-style": "bezier", "arrow-scale": 0.6 } },
      ],
      layout: { name: "concentric",
        concentric: (n) => ({ focus: 3, out: 2, in: 1 })[n.data("role")] || 1,
        levelWidth: () => 1, minNodeSpacing: 50, animate: false, avoidOverlap: true },
      wheelSensitivity: 0.2,
    });
    open(cy);
    window.eimfsNetwork = cy;
    return cy;
  };

  window.drawGeneMechanism = function (containerId, dataId) {
    const data = JSON.parse(document.getElementById(dataId).textContent);
    const cy = cytoscape({
      container: document.getElementById(containerId),
      elements: data.nodes.concat(data.edges),
      style: [
        { selector: "node", style: { label: "data(label)", "font-size": 10, width: 14, height: 14,
          "text-valign": "center", color: "#222" } },
        { selector: "node[kind = 'gene']", style: { "text-halign": "left", "text-margin-x": -4 } },
        ...palette.map((colour, i) => ({ selector: `node[listIndex = ${i}]`,
          style: { "background-color": colour } })),
        { selector: "node[?causal]", style: { "border-width": 4, "border-color": "#d62728", width: 18, height: 18 } },
        { selector: "node[kind = 'class']", style: { shape: "round-rectangle", "background-color": "#ffbb78",
          "text-halign": "right", "text-margin-x": 4 } },
        { selector: "node[kind = 'chain']", style: { shape: "diamond", "background-color": "#98df8a",
          "text-halign": "right", "text-margin-x": 4 } },
        { selector: "node[kind = 'unknown']", style: { shape: "round-rectangle", "background-color": "#d9d9d9",
          "border-width": 1, "border-color": "#888", "border-style": "dashed", "text-halign": "right",
          "text-margin-x": 4 } },
        { selector: "edge", style: { width: 1, "line-color": "#c8c8c8", "curve-style": "straight" } },
      ],
      layout: { name: "preset", fit: true, padding: 30 },
      wheelSensitivity: 0.2,
    });
    open(cy);
    window.eimfsNetwork = cy;
    return cy;
  };
})();
