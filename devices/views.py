from webview.views import render_menu_page


def monitor(request):
    return render_menu_page(request, "monitor", "devices/monitor.html")
