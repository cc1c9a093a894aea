// Draw each figure with ECharts; a click on a bar, slice or point opens its drill-down list.
(function () {
  document.querySelectorAll(".chart").forEach(function (el) {
    var rows = JSON.parse(document.getElementById(el.dataset.source).textContent);
    var chart = echarts.init(el, null, { renderer: "svg" });
    var labels = rows.map(function (r) { return r.label; });
    var values = rows.map(function (r) { return r.value; });
    var option;
    if (el.dataset.kind === "pie") {
      option = { tooltip: {}, series: [{ type: "pie", radius: "65%",
        data: rows.map(function (r) { return { name: r.label, value: r.value }; }) }] };
    } else if (el.dataset.kind === "steps") {
      option = { tooltip: {}, xAxis: { type: "category", data: labels, axisLabel: { interval: 0, rotate: 30 } },
        yAxis: { type: "value", max: 100 }, series: [{ type: "bar", data: rows.map(function (r) { return r.rate; }) }] };
    } else {
      option = { tooltip: {}, grid: { bottom: 60 },
        xAxis: { type: "category", data: labels, axisLabel: { interval: 0, rotate: 30 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: el.dataset.kind === "line" ? "line" : "bar", data: values }] };
    }
    chart.setOption(option);
    chart.on("click", function (p) { if (rows[p.dataIndex]) window.location = rows[p.dataIndex].url; });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
