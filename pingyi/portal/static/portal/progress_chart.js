// The home page's progress charts. The tables beside them carry every number; a chart is only a picture.
(function () {
  var labels = document.currentScript.dataset;
  function draw() {
    var data = document.getElementById("progress-chart-data");
    if (!window.echarts || !data) return;
    JSON.parse(data.textContent).forEach(function (c) {
      var el = document.getElementById("chart-" + c.id);
      if (!el) return;
      el.style.height = (c.items.length * 28 + 40) + "px";
      var chart = echarts.init(el);
      chart.setOption({
        grid: {left: 8, right: 8, top: 24, bottom: 4, containLabel: true},
        legend: {data: [labels.done, labels.missing], top: 0, textStyle: {fontSize: 11}},
        xAxis: {type: "value", minInterval: 1},
        yAxis: {type: "category", inverse: true, data: c.items.map(function (i) { return i.name; })},
        series: [
          {name: labels.done, type: "bar", stack: "n", color: "#198754", data: c.items.map(function (i) { return i.done; })},
          {name: labels.missing, type: "bar", stack: "n", color: "#dc3545", data: c.items.map(function (i) { return i.missing; })}
        ]
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
