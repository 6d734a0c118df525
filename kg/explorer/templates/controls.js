"use strict";
/* The explorer's view controls: colour by type or community, a year slider, labels of the most used concepts
   at every zoom, the co-occurrence map view, communities collapsed on large pages, and a PNG of the view.
   Every string from the data reaches the screen through textContent (or is drawn on the canvas). */
(function () {
  var app = window.kgApp;
  var data = app.data;
  var info = app.info;
  var network = app.network;
  var conceptTypes = new Set(data.concepts);
  function byId(id) { return document.getElementById(id); }

  /* Colour: by type (the page's own colours) or by community. */
  var original = new Map(data.nodes.map(function (n) { return [n.id, n.color]; }));
  var colourMode = "type";
  function communityColour(c) { return c < 0 ? "#c3ccd6" : data.palette[c % data.palette.length]; }
  function paint(dataset) {
    dataset.update(dataset.getIds().map(function (id) {
      var d = info.get(id);
      return { id: id, color: colourMode === "community" ? communityColour(d.community) : original.get(id) };
    }));
  }

  /* The co-occurrence map: the page's most used concepts, placed by association strength. */
  var mapNodes = new vis.DataSet(data.map.nodes.map(function (m) {
    return Object.assign({}, app.nodes.get(m[0]), { x: m[1], y: m[2] });
  }));
  var mapEdges = new vis.DataSet(data.map.links.map(function (l, i) {
    return { id: "map-" + i, from: l[0], to: l[1], width: Math.min(0.5 + Math.log2(1 + l[3]) / 2, 6),
      title: info.get(l[0]).name + " + " + info.get(l[1]).name + ": " + l[2] + (l[2] === 1 ? " paper" : " papers") +
        ", association strength " + l[3].toFixed(2) };
  }));
  var mapNodeView = new vis.DataView(mapNodes, { filter: function (n) { return app.visible(info.get(n.id)); } });
  var mapEdgeView = new vis.DataView(mapEdges, { filter: function (e) {
    return app.visible(info.get(e.from)) && app.visible(info.get(e.to)); } });
  var mapMode = false;
  function current() { return mapMode ? mapNodes : app.nodes; }
  byId("view-switch").addEventListener("click", function () {
    if (collapsed) { expand(); }
    mapMode = !mapMode;
    network.setData(mapMode ? { nodes: mapNodeView, edges: mapEdgeView } : { nodes: app.nodeView, edges: app.edgeView });
    app.setViews(mapMode ? mapNodeView : app.nodeView, mapMode ? mapEdgeView : app.edgeView);
    byId("view-switch").textContent = mapMode ? "Papers and concepts" : "Co-occurrence map";
    document.body.dataset.view = mapMode ? "map" : "papers";
    app.refresh();
    labelTop();
    network.fit({ animation: false });
    byId("collapse").hidden = mapMode || data.nodes.length <= data.collapse;
  });
  document.body.dataset.view = "papers";

  byId("colour-by").addEventListener("change", function (event) {
    colourMode = event.target.value;
    paint(app.nodes);
    paint(mapNodes);
  });
  window.kgColour = function (id) { var n = current().get(id); return n ? n.color : null; };

  /* The year slider: papers up to a year, and the concepts they bring; at its end, everything, undated papers too. */
  var firstYear = new Map();
  var years = [];
  info.forEach(function (d) {
    if (d.type !== "Paper" || d.year === null) { return; }
    years.push(d.year);
    d.out.forEach(function (l) {
      if (conceptTypes.has(info.get(l.to).type) && !(firstYear.get(l.to) <= d.year)) { firstYear.set(l.to, d.year); }
    });
  });
  var until = null;
  var slider = byId("year");
  if (years.length) {
    var low = Math.min.apply(null, years), high = Math.max.apply(null, years);
    var undated = 0;
    info.forEach(function (d) { if (d.type === "Paper" && d.year === null) { undated += 1; } });
    slider.min = String(low);
    slider.max = String(high);
    slider.value = String(high);
    byId("year-control").hidden = false;
    var allWords = high + (undated ? " and " + undated.toLocaleString("en") + " undated" : "");
    byId("year-value").textContent = allWords;
    slider.addEventListener("input", function () {
      var year = parseInt(slider.value, 10);
      until = year >= high ? null : year;
      byId("year-value").textContent = until === null ? allWords : String(year);
      app.refresh();
    });
  }
  app.filters.push(function (d) {
    if (until === null) { return true; }
    if (d.type === "Paper") { return d.year !== null && d.year <= until; }
    if (conceptTypes.has(d.type)) { return firstYear.has(d.id) && firstYear.get(d.id) <= until; }
    return true;
  });

  /* Labels: the most used concepts keep a readable label at every zoom; the others show when zoomed in. */
  var scaledTo = null;
  function labelTop() {
    var scale = network.getScale();
    if (scaledTo === scale) { return; }
    scaledTo = scale;
    var size = Math.max(14, 15 / scale);
    [app.nodes, mapNodes].forEach(function (set) {
      set.update(data.top.filter(function (id) { return set.get(id) !== null; }).map(function (id) {
        return { id: id, font: { size: size } }; }));
    });
  }
  network.on("afterDrawing", labelTop);  /* any change of scale: wheel, fit, moveTo */

  /* Communities collapsed into one node each on large pages; clicking one opens it. */
  var collapsed = false;
  function collapse() {
    var members = new Map();
    info.forEach(function (d) {
      if (d.community < 0) { return; }
      if (!members.has(d.community)) { members.set(d.community, []); }
      members.get(d.community).push(d);
    });
    var left = members.size;
    members.forEach(function (group, c) {
      left -= 1;
      var names = group.filter(function (d) { return conceptTypes.has(d.type); })
        .sort(function (a, b) { return b.papers - a.papers; }).slice(0, 2).map(function (d) { return d.name; });
      network.cluster({ joinCondition: function (n) { return n.community === c; },
        clusterNodeProperties: { id: "community:" + c, community: c, shape: "dot", borderWidth: 2,
          label: names.join(", ") + " \u2026 (" + group.length.toLocaleString("en") + ")",
          size: Math.min(12 + 2 * Math.sqrt(group.length), 80), color: communityColour(c), font: { size: 16 } } },
        left === 0);  /* the network refreshes its data once, after the last community */
    });
    collapsed = true;
    byId("collapse").textContent = "Expand communities";
  }
  function expand() {
    /* Giving the network its views again drops every cluster at once (opening them one by one is slow). */
    var scale = network.getScale(), centre = network.getViewPosition();
    network.setData(mapMode ? { nodes: mapNodeView, edges: mapEdgeView } : { nodes: app.nodeView, edges: app.edgeView });
    network.moveTo({ position: centre, scale: scale });
    collapsed = false;
    byId("collapse").textContent = "Collapse communities";
  }
  app.hooks.before.push(function () { if (collapsed) { expand(); app.recollapse = true; } });
  app.hooks.after.push(function () { if (app.recollapse) { app.recollapse = false; collapse(); } });
  byId("collapse").addEventListener("click", function () { if (collapsed) { expand(); } else { collapse(); } });
  network.on("click", function (params) {
    if (params.nodes.length && network.isCluster(params.nodes[0])) { network.openCluster(params.nodes[0]); }
  });
  if (data.nodes.length > data.collapse) {
    byId("collapse").hidden = false;
    collapse();
  }
  window.kgCollapsed = function () { return collapsed; };

  /* The view as a PNG, on white. */
  byId("export-png").addEventListener("click", function () {
    var canvas = document.querySelector("#network canvas");
    var out = document.createElement("canvas");
    out.width = canvas.width;
    out.height = canvas.height;
    var context = out.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, out.width, out.height);
    context.drawImage(canvas, 0, 0);
    var link = document.createElement("a");
    link.download = "kg-view.png";
    link.href = out.toDataURL("image/png");
    document.body.appendChild(link);
    link.click();
    link.remove();
  });
})();
