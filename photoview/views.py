from webview.frame import render_menu_page


def index(request):
    return render_menu_page(request, "photoview", "photoview/index.html")
