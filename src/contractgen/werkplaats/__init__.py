"""Face: werkplaats — the workplace in the browser for the inkoopteam, the juristen and the aanbieders.

A Django project beside `cli`, over the same library: every page calls the functions the
commands call (`rapporten.overzicht`, `uitvoer.bouw`, `intake`, …), never a copy and never the
CLI by subprocess. Django brings accounts, sessions, CSRF protection, password hashing, forms,
migrations and the admin; this package adds what is contractgen's own.

- `instellingen`: settings from the environment (`CONTRACTGEN_*`), SQLite in the state folder by
  default, PostgreSQL and Redis for more machines.
- `omgeving`: the data, output and state folders, and the one place a request's names become paths.
- `toegang`: roles per region (inkoopteam, jurist, beheerder, aanbieder) and the checks every view makes.
- `audit`: who did what, when and from where; the beheerder reads it in the admin.
- `regio`: the region page, build jobs (django-tasks) and downloads.
- `starten`: `contractgen werkplaats` and `contractgen gebruiker toevoegen` (registered on the CLI
  through the entry point group `contractgen.commandos`, so `cli` and `werkplaats` stay independent).
"""
