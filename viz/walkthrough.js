// The walkthrough page: steps through a recorded backward pass.
// Hand-written, no libraries: the data is the JSON in #walk-data (made by
// viz/walkthrough.py), the picture is the inlined SVG from Graphviz, where
// each node and edge is a <g> whose <title> is its id ("n3", "n4->n3").
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("walk-data").textContent);
  var steps = data.steps;
  var current = 0;
  var timer = null;

  // -- the drawing: node and edge groups by id
  var groups = {};
  document.querySelectorAll("#graph svg g.node, #graph svg g.edge").forEach(function (g) {
    var title = g.querySelector("title");
    if (title) { groups[title.textContent.trim()] = g; }
  });
  // The whole drawing fits the pane when its text stays readable (labels
  // are 14 units: at least 14px); otherwise it keeps that size and the pane
  // scrolls, following the active node.
  var svg = document.querySelector("#graph svg");
  var pane = document.getElementById("graph");
  var MIN_SCALE = 1.0;
  function fit() {
    if (!svg || !svg.viewBox || !svg.viewBox.baseVal || !svg.viewBox.baseVal.width) { return; }
    var box = svg.viewBox.baseVal;
    var room = {w: pane.clientWidth - 16, h: pane.clientHeight - 16};
    var scale = Math.max(MIN_SCALE, Math.min(room.w / box.width, room.h / box.height, 1.6));
    svg.setAttribute("width", String(Math.floor(box.width * scale)));
    svg.setAttribute("height", String(Math.floor(box.height * scale)));
  }
  fit();
  window.addEventListener("resize", fit);

  // -- small builders (textContent only: names and values are never markup)
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function valueBlock(value) {
    var box = el("div");
    box.appendChild(el("div", "value", value.text));
    if (value.stats) {
      box.appendChild(el("div", "stats", "shape " + value.shape + " · " + value.stats));
    }
    return box;
  }

  function section(id, heading) {
    var box = document.getElementById(id);
    box.textContent = "";
    if (heading) { box.appendChild(el("h3", null, heading)); }
    return box;
  }

  // -- the panel
  function showArrived(step, index) {
    var box = section("arrived", step.id === "omitted" ? null : "Gradient arriving");
    if (step.id === "omitted") {
      box.appendChild(el("p", null, step.words));
      return;
    }
    if (step.contributions.length === 0) {
      box.appendChild(el("div", null, "backward starts here, with d(output)/d(output):"));
    } else if (step.contributions.length > 1) {
      box.appendChild(el("span", "note", step.contributions.length + " contributions summed"));
      step.contributions.forEach(function (c) {
        box.appendChild(el("div", null, "from " + c.from + ":"));
        box.appendChild(valueBlock(c.value));
      });
      box.appendChild(el("div", null, "sum:"));
    } else {
      box.appendChild(el("div", null, "from " + step.contributions[0].from + ":"));
    }
    if (step.hooked) { box.appendChild(el("span", "note", "a hook replaced it")); }
    var grad = valueBlock(step.grad);
    grad.id = "grad";
    box.appendChild(grad);
  }

  function showRule(step) {
    var box = section("rule", step.id === "omitted" ? null : "Local rule");
    if (step.formula) { box.appendChild(el("div", "formula", step.formula)); }
    if (step.words && step.id !== "omitted") { box.appendChild(el("div", "words", step.words)); }
  }

  function showSent(step) {
    var box = section("sent", step.sent.length ? "Sent to each input" : null);
    // A long value equal to the arriving gradient is said in words, not
    // printed again: on a projector a panel of repeated matrices hides what
    // changed. Short ones are printed (the same numbers may be a coincidence).
    function sameAsArriving(value) {
      return value.text === step.grad.text && value.shape === step.grad.shape &&
        value.text.length > 24;
    }
    step.sent.forEach(function (s) {
      box.appendChild(el("div", null, "→ " + s.to + ":"));
      step.reduced.forEach(function (r) {
        if (r.to === s.to) {   // broadcasting undone: the rule's gradient, then the sum
          if (sameAsArriving(r.before)) {
            box.appendChild(el("div", "stats", "the rule gave the arriving gradient, shape " +
                                               r.before.shape + ";"));
          } else {
            box.appendChild(el("div", "stats", "the rule gave (the broadcast shape):"));
            box.appendChild(valueBlock(r.before));
          }
          box.appendChild(el("span", "note reduce", r.text));
          box.appendChild(el("div", "stats", s.to + " receives:"));
        }
      });
      if (sameAsArriving(s.value)) {
        box.appendChild(el("div", "same", "the same numbers as the arriving gradient"));
      } else {
        box.appendChild(valueBlock(s.value));
      }
    });
  }

  function showLeaf(step) {
    var name = step.leaf ? step.leaf.name : "";
    var box = section("leaf", !step.leaf ? null :
                      /^[A-Za-z_][\w.]*$/.test(name) ? name + ".grad" : ".grad of " + name);
    if (!step.leaf) { return; }
    var line = el("div", "grad-change");
    line.appendChild(el("span", "before", step.leaf.before.text));
    line.appendChild(el("span", "arrow", " → "));
    line.appendChild(el("span", "after", step.leaf.after.text));
    box.appendChild(line);
  }

  // Each leaf's .grad as it stands after step `index` (over every pass so far).
  function showLeaves(index) {
    var box = section("leaves", data.leaves.length ? ".grad of the leaves so far" : null);
    if (!data.leaves.length) { return; }
    var now = {};
    steps.forEach(function (s, i) {
      if (!s.leaf) { return; }
      var name = s.title;
      if (i <= index) { now[name] = s.leaf.after.text; }
      else if (!(name in now)) { now[name] = s.leaf.before.text; }
    });
    var table = el("table", "leaves");
    data.leaves.forEach(function (name) {
      var row = el("tr");
      row.dataset.leaf = name;
      row.appendChild(el("td", null, name));
      row.appendChild(el("td", "value", name in now ? now[name] : "None"));
      table.appendChild(row);
    });
    box.appendChild(table);
  }

  // -- the drawing
  function highlight(index) {
    Object.keys(groups).forEach(function (key) {
      groups[key].classList.remove("active", "done");
    });
    var step = steps[index];
    steps.forEach(function (s, i) {
      if (i < index && s.pass === step.pass) {
        s.nodes.forEach(function (id) { if (groups[id]) { groups[id].classList.add("done"); } });
      }
    });
    step.nodes.concat(step.edges).forEach(function (id) {
      if (groups[id]) { groups[id].classList.add("active"); }
    });
    var target = groups[step.nodes[0]];
    if (target && target.scrollIntoView) {
      target.scrollIntoView({block: "center", inline: "center"});
    }
  }

  function show(index) {
    current = Math.max(0, Math.min(steps.length - 1, index));
    var step = steps[current];
    document.getElementById("counter").textContent =
      "Step " + (current + 1) + " of " + steps.length;
    document.getElementById("slider").value = String(current + 1);
    document.getElementById("pass").textContent =
      step.passes > 1 ? "Pass " + step.pass + " of " + step.passes : "";
    document.getElementById("node-title").textContent =
      step.id === "omitted" ? step.count + " " + step.title : step.title;
    showArrived(step, current);
    showRule(step);
    showSent(step);
    showLeaf(step);
    showLeaves(current);
    highlight(current);
    document.body.dataset.step = String(current + 1);
    document.body.dataset.activeNode = step.id;
  }

  // -- controls
  function pause() {
    if (timer !== null) { clearInterval(timer); timer = null; }
    document.getElementById("play").textContent = "▶ Play";
  }

  function play() {
    if (current >= steps.length - 1) { show(0); }
    timer = setInterval(function () {
      if (current >= steps.length - 1) { pause(); } else { show(current + 1); }
    }, 1500);
    document.getElementById("play").textContent = "⏸ Pause";
  }

  document.getElementById("forward").addEventListener("click", function () { pause(); show(current + 1); });
  document.getElementById("back").addEventListener("click", function () { pause(); show(current - 1); });
  document.getElementById("reset").addEventListener("click", function () { pause(); show(0); });
  document.getElementById("play").addEventListener("click", function () {
    if (timer === null) { play(); } else { pause(); }
  });
  var slider = document.getElementById("slider");
  slider.max = String(steps.length);
  slider.addEventListener("input", function () { pause(); show(Number(slider.value) - 1); });
  document.addEventListener("keydown", function (event) {
    if (event.target === slider || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var keys = {ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: steps.length - 1};
    if (event.key in keys) {
      pause();
      show(keys[event.key]);
      event.preventDefault();
    } else if (event.key === " ") {
      if (timer === null) { play(); } else { pause(); }
      event.preventDefault();
    }
  });

  show(0);
})();
