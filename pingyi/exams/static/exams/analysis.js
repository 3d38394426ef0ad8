// The analysis chart of a paper: difficulty (bars) and discrimination (line) per question.
(function () {
  var script = document.currentScript;
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("analysis-chart");
    var data = JSON.parse(document.getElementById("analysis-data").textContent);
    if (!box || typeof echarts === "undefined") { return; }
    var chart = echarts.init(box);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: [script.dataset.difficulty, script.dataset.discrimination] },
      grid: { left: 40, right: 20, bottom: 40 },
      xAxis: { type: "category", data: data.labels.map(function (_l, i) { return String(i + 1); }) },
      yAxis: { type: "value", min: -1, max: 1 },
      series: [
        { name: script.dataset.difficulty, type: "bar", data: data.difficulty, itemStyle: { color: "#c0392b" } },
        { name: script.dataset.discrimination, type: "line", data: data.discrimination, itemStyle: { color: "#2c3e50" } }
      ]
    });
    box.setAttribute("data-rendered", "1");
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
