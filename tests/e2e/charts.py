"""Steps on ECharts charts the browser tests share: real clicks where a bar is drawn."""

from playwright.sync_api import Page


def click_bar(page: Page, chart_selector: str, index: int) -> None:
    """A real mouse click in the middle of the lowest non-empty segment of bar ``index`` of the
    stacked bar chart in ``chart_selector`` (positions from the chart, not guessed margins)."""
    point = page.evaluate("""([selector, index]) => {
        const chart = echarts.getInstanceByDom(document.querySelector(selector));
        let below = 0;
        for (const series of chart.getOption().series) {
            const value = series.data[index] ?? 0;
            if (value > 0) return chart.convertToPixel({xAxisIndex: 0, yAxisIndex: 0}, [index, below + value / 2]);
            below += value;
        }
        return null;
    }""", [chart_selector, index])
    assert point is not None, f"bar {index} is empty"
    box = page.locator(chart_selector).bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
