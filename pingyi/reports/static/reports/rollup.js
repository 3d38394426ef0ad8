// The roll-up chart: each child node's required person-items, done / open / overdue. The table carries every number.
(function () {
  var script = document.currentScript;
  function draw() {
    var el = document.getElementById("rollup-chart");
    var data = document.getElementById("rollup-chart-data");
    if (!el || !data || !window.echarts) return;
    var rows = JSON.parse(data.textContent);
    el.style.height = (rows.length * 28 + 48) + "px";
    var labels = {done: script.dataset.done, open: script.dataset.open, overdue: script.dataset.overdue};
    var chart = window.echarts.init(el);
    chart.setOption({
      grid: {left: 8, right: 8, top: 24, bottom: 4, containLabel: true},
      legend: {top: 0, textStyle: {fontSize: 11}},
      xAxis: {type: "value", minInterval: 1},
      yAxis: {type: "category", inverse: true, data: rows.map(function (r) { return r.name; })},
      series: [
        {name: labels.done, type: "bar", stack: "n", color: "#198754", data: rows.map(function (r) { return r.done; })},
        {name: labels.open, type: "bar", stack: "n", color: "#0d6efd", data: rows.map(function (r) { return r.open; })},
        {name: labels.overdue, type: "bar", stack: "n", color: "#dc3545", data: rows.map(function (r) { return r.overdue; })}
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
