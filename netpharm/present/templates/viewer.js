/* netpharm: 3Dmol.js views of the poses embedded in the page (no request).
 *
 * The poses are JSON in script.pose-store blocks (pockets once per receptor). A view is
 * an empty div.viewer3d whose data-pose names a pose. Its WebGL viewer is created only while the
 * view is on screen (IntersectionObserver) and destroyed when it leaves, and never more than
 * MAX_LIVE at once: browsers keep about 16 live WebGL contexts per page and drop the oldest beyond.
 * A button or row with data-show-pose="KEY" data-viewer="ID" switches view ID to pose KEY.
 */
(function () {
  "use strict";
  var MAX_LIVE = 4;
  var store = {pockets: {}, references: {}, poses: {}};
  document.querySelectorAll("script.pose-store").forEach(function (s) {
    var d = JSON.parse(s.textContent);
    Object.assign(store.pockets, d.pockets);
    Object.assign(store.references, d.references);
    Object.assign(store.poses, d.poses);
  });
  window.netpharmPoses = store;
  window.netpharmViewers = {};   // view id -> live 3Dmol viewer
  window.netpharmViewerStats = {created: 0, destroyed: 0, maxLive: 0};
  var visible = {};              // view id -> on screen (as the observer last said)

  function live() { return Object.keys(window.netpharmViewers); }

  function addMolecule(viewer, mol) {  // {elem: "C N", xyz, bonds: [i, j, order, ...]}: heavy atoms (viewer.py)
    var atoms = mol.elem.split(" ").map(function (e, i) {
      return {elem: e, x: mol.xyz[3 * i], y: mol.xyz[3 * i + 1], z: mol.xyz[3 * i + 2], index: i, serial: i + 1,
              hetflag: true, resn: "LIG", bonds: [], bondOrder: []};
    });
    for (var k = 0; k + 2 < mol.bonds.length; k += 3) {
      var a = mol.bonds[k], b = mol.bonds[k + 1], order = mol.bonds[k + 2];
      atoms[a].bonds.push(b); atoms[a].bondOrder.push(order);
      atoms[b].bonds.push(a); atoms[b].bondOrder.push(order);
    }
    var model = viewer.addModel();
    model.addAtoms(atoms);
    return model;
  }

  // The residues of `pocket` with an atom within 8 Å of the ligand, by chain: the pocket of one receptor is
  // shared by all its poses (viewer.py), so each pose shows its own neighbourhood of it.
  function nearResidues(pocket, xyz) {
    var byChain = {}, cutoff = 64;
    pocket.selectedAtoms({}).forEach(function (a) {
      for (var i = 0; i + 2 < xyz.length; i += 3) {
        var dx = a.x - xyz[i], dy = a.y - xyz[i + 1], dz = a.z - xyz[i + 2];
        if (dx * dx + dy * dy + dz * dz <= cutoff) {
          var list = byChain[a.chain] || (byChain[a.chain] = []);
          if (list.indexOf(a.resi) < 0) { list.push(a.resi); }
          return;
        }
      }
    });
    return byChain;
  }

  function draw(viewer, pose) {
    // switching between poses of one receptor keeps its pocket model; only the ligands, lines and labels change
    var state = viewer.netpharm || (viewer.netpharm = {});
    if (state.pocketName !== pose.pocket) {
      viewer.clear();
      state.pocket = viewer.addModel(store.pockets[pose.pocket], "pdb");
      state.pocketName = pose.pocket;
    } else {
      state.ligands.forEach(function (m) { viewer.removeModel(m); });
      viewer.removeAllShapes();
      viewer.removeAllLabels();
    }
    var pocket = state.pocket;
    var ligand = addMolecule(viewer, pose.ligand);
    state.ligands = [ligand];
    // the pocket within 8 Å of the ligand as thin lines; the residues the profile lists as sticks
    viewer.setStyle({model: pocket}, {});
    var near = nearResidues(pocket, pose.ligand.xyz);
    Object.keys(near).forEach(function (chain) {
      viewer.setStyle({model: pocket, chain: chain, resi: near[chain]}, {line: {colorscheme: "greyCarbon"}});
    });
    pose.residues.forEach(function (r) {
      var sel = {model: pocket, resi: r.resi};
      if (r.chain) { sel.chain = r.chain; }
      viewer.setStyle(sel, {stick: {radius: 0.14, colorscheme: "lightblueCarbon"}});
    });
    viewer.setStyle({model: pocket, elem: "H"}, {});
    viewer.setStyle({model: ligand}, {stick: {radius: 0.22, colorscheme: "orangeCarbon"}});
    viewer.setStyle({model: ligand, elem: "Mg"}, {sphere: {radius: 0.72, color: "#ff8c00"}});  // an ion has no bond to draw
    if (pose.reference) {  // the experimental ligand, thinner and in a second colour
      var reference = addMolecule(viewer, store.references[pose.reference]);
      state.ligands.push(reference);
      viewer.setStyle({model: reference}, {stick: {radius: 0.12, colorscheme: "greenCarbon", opacity: 0.85}});
    }
    pose.lines.forEach(function (l) {
      viewer.addCylinder({start: {x: l.start[0], y: l.start[1], z: l.start[2]},
                          end: {x: l.end[0], y: l.end[1], z: l.end[2]},
                          radius: 0.06, color: l.color, dashed: true, fromCap: 1, toCap: 1});
    });
    pose.labels.forEach(function (l) {
      viewer.addLabel(l.text, {position: {x: l.position[0], y: l.position[1], z: l.position[2]},
                               fontSize: 11, fontColor: "black", backgroundColor: "white",
                               backgroundOpacity: 0.7, inFront: true});
    });
    viewer.zoomTo({model: ligand});
    viewer.zoom(0.6);
    viewer.render();
  }

  function caption(el, pose) {
    var box = el.closest(".viewer-box");
    var title = box && box.querySelector(".viewer-title");
    if (title) { title.textContent = pose ? pose.title : ""; }
  }

  function destroy(el) {
    var viewer = window.netpharmViewers[el.id];
    if (!viewer) { return; }
    delete window.netpharmViewers[el.id];
    var inner = el.querySelector(".gl");
    var canvas = inner && inner.querySelector("canvas");
    // detach first: 3Dmol re-creates a lost context only for a container still in the page
    if (inner) { inner.remove(); }
    if (canvas) {
      var gl = canvas.getContext("webgl2") || canvas.getContext("webgl");
      var ext = gl && gl.getExtension("WEBGL_lose_context");
      if (ext) { ext.loseContext(); }
    }
    window.netpharmViewerStats.destroyed += 1;
  }

  function distance(el) {  // how far a view is from the screen (0 when on it)
    var r = el.getBoundingClientRect(), h = window.innerHeight;
    return r.bottom < 0 ? -r.bottom : (r.top > h ? r.top - h : 0);
  }

  function make(el) {
    if (window.netpharmViewers[el.id]) { return window.netpharmViewers[el.id]; }
    var pose = store.poses[el.getAttribute("data-pose")];
    if (!pose) { return null; }
    var others = live().map(function (id) { return document.getElementById(id); });
    others.sort(function (a, b) { return distance(b) - distance(a); });
    while (others.length >= MAX_LIVE) { destroy(others.shift()); }
    var inner = document.createElement("div");
    inner.className = "gl";
    el.appendChild(inner);
    var viewer = $3Dmol.createViewer(inner, {backgroundColor: "white", antialias: true});
    if (!viewer) {
      inner.remove();
      el.textContent = "3-D view unavailable: this browser has no WebGL.";
      return null;
    }
    draw(viewer, pose);
    caption(el, pose);
    window.netpharmViewers[el.id] = viewer;
    var stats = window.netpharmViewerStats;
    stats.created += 1;
    stats.maxLive = Math.max(stats.maxLive, live().length);
    return viewer;
  }

  window.netpharmShowPose = function (viewId, key) {
    var el = document.getElementById(viewId);
    if (!el || !store.poses[key]) { return; }
    el.setAttribute("data-pose", key);
    var viewer = window.netpharmViewers[el.id];
    if (viewer) { draw(viewer, store.poses[key]); caption(el, store.poses[key]); }
    else if (visible[el.id]) { make(el); }
    else { caption(el, store.poses[key]); }
  };

  document.addEventListener("click", function (e) {
    var trigger = e.target.closest("[data-show-pose]");
    if (!trigger) { return; }
    var viewId = trigger.getAttribute("data-viewer") || trigger.closest("[data-viewer]").getAttribute("data-viewer");
    window.netpharmShowPose(viewId, trigger.getAttribute("data-show-pose"));
    var table = trigger.closest("table");
    if (table) {
      table.querySelectorAll("tr.selected").forEach(function (r) { r.classList.remove("selected"); });
      var row = trigger.closest("tr");
      if (row) { row.classList.add("selected"); }
    }
  });

  var views = document.querySelectorAll(".viewer3d");
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      visible[entry.target.id] = entry.isIntersecting;
      if (entry.isIntersecting) { make(entry.target); } else { destroy(entry.target); }
    });
  }, {rootMargin: "100px 0px"});
  views.forEach(function (el) { caption(el, store.poses[el.getAttribute("data-pose")]); observer.observe(el); });
})();
