#!/usr/bin/env bash
# Extract every translatable text of our apps into <app>/locale/{de,en}/LC_MESSAGES/django.po
# and compile them. With --check: fail if a German text is missing or fuzzy, or if the
# catalogues are not up to date with the code (CI).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export SECRET_KEY=${SECRET_KEY:-messages} DJANGO_SETTINGS_MODULE=config.settings
command -v msgfmt >/dev/null || { apt-get update -qq && apt-get install -y -qq gettext >/dev/null; }
APPS=(core accounts scheduling werkhaus garden)
check=0; [[ "${1:-}" == "--check" ]] && check=1
status=0
for app in "${APPS[@]}"; do
  mkdir -p "$app/locale"
  before=$(cat "$app"/locale/*/LC_MESSAGES/django.po 2>/dev/null | grep -v '^"POT-Creation-Date' | sha256sum || true)
  (cd "$app" && "../$PY" ../manage.py makemessages -l de -l en --no-obsolete --add-location file -v 0)
  after=$(cat "$app"/locale/*/LC_MESSAGES/django.po 2>/dev/null | grep -v '^"POT-Creation-Date' | sha256sum || true)
  if (( check )) && [[ "$before" != "$after" ]]; then
    echo "$app: translation catalogues are not up to date; run 'make messages' and translate" >&2
    status=1
  fi
  de="$app/locale/de/LC_MESSAGES/django.po"
  if [[ -f "$de" ]]; then
    stats=$(msgfmt --statistics -o /dev/null "$de" 2>&1)
    if [[ "$stats" == *untranslated* || "$stats" == *fuzzy* ]]; then
      echo "$app (de): $stats" >&2
      status=1
    fi
  fi
  (cd "$app" && "../$PY" ../manage.py compilemessages -v 0)
done
exit $status
