#!/bin/sh
# Refresh the README's screenshots: run the browser test (it writes build/screenshots/*.png with
# Debian's headless Chromium) and copy the main pages into docs/screenshots/. Run: make screenshots.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
.venv/bin/python -m pytest -q tests/web/test_browser.py
mkdir -p docs/screenshots
for page in query-page entity-page network-page condition-page search-choices; do
  cp "build/screenshots/$page.png" "docs/screenshots/$page.png"
done
ls -l docs/screenshots
