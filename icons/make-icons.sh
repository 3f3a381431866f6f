#!/usr/bin/env bash
# Regenerates the app icons from scratch with ImageMagick 6 (Debian package `imagemagick`).
# Tauri needs RGBA PNGs, hence the PNG32: prefix. Run from anywhere: bash icons/make-icons.sh
set -euo pipefail
cd "$(dirname "$0")"
font=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf
# 512x512 master: a rounded teal tile with a white price tag and "SD".
convert -size 512x512 xc:none \
  -fill '#0f766e' -draw 'roundrectangle 16,16 495,495 96,96' \
  -fill '#ffffff' -draw 'polygon 120,150 300,150 400,256 300,362 120,362' \
  -fill '#0f766e' -draw 'circle 352,256 352,274' \
  -font "$font" -pointsize 104 -fill '#0f766e' -gravity center -annotate -50+0 'SD' \
  PNG32:icon.png
convert icon.png -resize 32x32 PNG32:32x32.png
convert icon.png -resize 128x128 PNG32:128x128.png
convert icon.png -resize 256x256 PNG32:128x128@2x.png
