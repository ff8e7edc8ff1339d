from webview.frame import render_menu_page


def index(request):
    return render_menu_page(request, "alarms", "alarms/index.html")
