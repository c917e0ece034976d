/// The dashboard's one HTML page: a shell; `app.js` fills `main` with the view the URL's hash names.
enum DashboardPage {
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Herald</title>
        <link rel="stylesheet" href="/ui/app.css">
        <script src="/ui/app.js" defer></script>
        </head>
        <body>
        <header>
          <span class="brand">Herald</span>
          <nav>
            <a href="#/overview" data-view="overview">Overview</a>
            <a href="#/notifications" data-view="notifications">Notifications</a>
            <a href="#/dead-letters" data-view="dead-letters">Dead letters</a>
            <a href="#/workers" data-view="workers">Workers</a>
            <a href="#/catalog" data-view="catalog">Templates &amp; topics</a>
          </nav>
        </header>
        <p id="error" role="alert" hidden></p>
        <main id="view" aria-live="polite"></main>
        </body>
        </html>
        """#
}
