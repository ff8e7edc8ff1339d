from webview.views import render_menu_page


def trends(request):
    return render_menu_page(request, "trends", "datalogger/trends.html")
