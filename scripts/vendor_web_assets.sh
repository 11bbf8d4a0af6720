#!/bin/sh
# Refresh the JavaScript the web pages use from npm (no CDN at run time): YASGUI, the SPARQL
# query editor, and Cytoscape.js, the network view. Each package's built bundle and its licence
# are copied into src/eimfs_kg/web/static/vendor/; the output is committed. Run: make vendor.
set -eu
YASGUI_VERSION=${YASGUI_VERSION:-4.6.2}
CYTOSCAPE_VERSION=${CYTOSCAPE_VERSION:-3.35.0}
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/src/eimfs_kg/web/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "@zazuko/yasgui@$YASGUI_VERSION" "cytoscape@$CYTOSCAPE_VERSION" > /dev/null
mkdir yasgui cytoscape
tar -xzf "zazuko-yasgui-$YASGUI_VERSION.tgz" -C yasgui
tar -xzf "cytoscape-$CYTOSCAPE_VERSION.tgz" -C cytoscape
rm -rf "$out/yasgui" "$out/cytoscape"
mkdir -p "$out/yasgui" "$out/cytoscape"
cp yasgui/package/build/yasgui.min.js yasgui/package/build/yasgui.min.css "$out/yasgui/"
cp yasgui/package/package.json "$out/yasgui/package.json"
# The npm package of YASGUI ships no licence file; its package.json says MIT. Write the MIT
# licence naming the authors package.json gives, and keep package.json beside it as the record.
if ls yasgui/package/LICENSE* > /dev/null 2>&1; then
  cp yasgui/package/LICENSE* "$out/yasgui/"
else
  cat > "$out/yasgui/LICENSE" <<LICENCE
@zazuko/yasgui $YASGUI_VERSION - licence: MIT (field "license" of the package.json beside this file)
Authors (package.json): Triply <info@triply.cc>; contributors: Zazuko GmbH
Source: https://github.com/rdfjs/Yasgui

MIT License

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
LICENCE
fi
cp cytoscape/package/dist/cytoscape.min.js "$out/cytoscape/"
cp cytoscape/package/LICENSE "$out/cytoscape/LICENSE"
printf '@zazuko/yasgui %s (MIT)\ncytoscape %s (MIT)\n' "$YASGUI_VERSION" "$CYTOSCAPE_VERSION" > "$out/VERSIONS"
ls -l "$out"/*
