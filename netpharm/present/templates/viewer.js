/* netpharm: one 3Dmol.js viewer per best pose; all data are embedded in the page (no request). */
(function () {
  "use strict";
  window.netpharmViewers = {};
  document.querySelectorAll(".viewer3d").forEach(function (el) {
    var data = JSON.parse(document.getElementById(el.getAttribute("data-pose")).textContent);
    var viewer = $3Dmol.createViewer(el, {backgroundColor: "white", antialias: true});
    if (!viewer) {
      el.textContent = "3-D view unavailable: this browser has no WebGL.";
      return;
    }
    viewer.addModel(data.pocket, "pdb");
    // the pocket as cartoon and thin lines; the residues the profile lists as sticks
    viewer.setStyle({model: 0}, {cartoon: {color: "lightgrey", opacity: 0.6}, line: {colorscheme: "greyCarbon"}});
    data.residues.forEach(function (r) {
      var sel = {model: 0, resi: r.resi};
      if (r.chain) { sel.chain = r.chain; }
      viewer.setStyle(sel, {cartoon: {color: "lightgrey", opacity: 0.6},
                            stick: {radius: 0.14, colorscheme: "lightblueCarbon"}});
    });
    viewer.setStyle({model: 0, elem: "H"}, {});
    viewer.addModel(data.ligand, "sdf");
    viewer.setStyle({model: 1}, {stick: {radius: 0.22, colorscheme: "orangeCarbon"}});
    viewer.setStyle({model: 1, elem: "H"}, {});  // heavy atoms only, as in the 2-D diagram
    viewer.setStyle({model: 1, elem: "Mg"}, {sphere: {radius: 0.72, color: "#ff8c00"}});  // an ion has no bond to draw
    data.lines.forEach(function (l) {
      viewer.addCylinder({start: {x: l.start[0], y: l.start[1], z: l.start[2]},
                          end: {x: l.end[0], y: l.end[1], z: l.end[2]},
                          radius: 0.06, color: l.color, dashed: true, fromCap: 1, toCap: 1});
    });
    data.labels.forEach(function (l) {
      viewer.addLabel(l.text, {position: {x: l.position[0], y: l.position[1], z: l.position[2]},
                               fontSize: 11, fontColor: "black", backgroundColor: "white",
                               backgroundOpacity: 0.7, inFront: true});
    });
    viewer.zoomTo({model: 1});
    viewer.zoom(0.6);
    viewer.render();
    window.netpharmViewers[el.id] = viewer;
  });
})();
