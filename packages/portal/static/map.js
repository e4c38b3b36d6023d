// Map preview of a geo dataset page (Leaflet, served by the platform). Progressive enhancement:
// without this script the page keeps its list of features. No inline code (CSP), no innerHTML
// with data: names reach the map only as text nodes.
(function () {
  'use strict';
  var el = document.getElementById('karte');
  if (!el || typeof L === 'undefined') return;
  var status = document.getElementById('karte-auswahl');
  var match = el.getAttribute('data-match');
  var labelKey = el.getAttribute('data-label');
  var tiles = el.getAttribute('data-tile-url');

  el.textContent = '';
  var map = L.map(el, { zoomControl: false, keyboard: true, attributionControl: true });
  L.control.zoom({ zoomInTitle: 'Vergrößern', zoomOutTitle: 'Verkleinern' }).addTo(map);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution('Leaflet');
  if (tiles) {
    var host = tiles
      .replace(/^https?:\/\//, '')
      .split('/')[0]
      .replace('{s}.', '');
    L.tileLayer(tiles, { maxZoom: 19, attribution: 'Kartenhintergrund: ' + host }).addTo(map);
  }
  // Rostock, until the features are there
  map.setView([54.09, 12.13], 11);

  var normal = { color: '#00457d', weight: 2, fillColor: '#4d7eab', fillOpacity: 0.2, radius: 6 };
  var chosen = { color: '#a4001d', weight: 4, fillColor: '#a4001d', fillOpacity: 0.35, radius: 9 };
  var selected = null;

  function text(value) {
    var span = document.createElement('span');
    span.textContent = value;
    return span;
  }

  function nameOf(feature) {
    var p = feature.properties || {};
    var name = labelKey && p[labelKey] != null ? String(p[labelKey]) : '';
    return name || 'ohne Bezeichnung';
  }

  function select(layer, feature) {
    if (selected) selected.setStyle(normal);
    selected = layer;
    layer.setStyle(chosen);
    if (layer.getBounds) map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 16 });
    else map.setView(layer.getLatLng(), 16);
    layer.openTooltip();
    if (status) status.textContent = 'Auf der Karte ausgewählt: ' + nameOf(feature);
  }

  fetch(el.getAttribute('data-geojson'), { headers: { 'x-hro-preview': '1' } })
    .then(function (response) {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return response.json();
    })
    .then(function (data) {
      var byKey = {};
      var layer = L.geoJSON(data, {
        style: function () {
          return normal;
        },
        pointToLayer: function (_feature, latlng) {
          return L.circleMarker(latlng, normal);
        },
        onEachFeature: function (feature, featureLayer) {
          featureLayer.bindTooltip(text(nameOf(feature)));
          var key = match && feature.properties ? feature.properties[match] : null;
          if (key != null) byKey[String(key)] = { layer: featureLayer, feature: feature };
          featureLayer.on('click', function () {
            select(featureLayer, feature);
          });
        },
      }).addTo(map);
      var bounds = layer.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [10, 10] });
      var buttons = document.querySelectorAll('button[data-feature]');
      Array.prototype.forEach.call(buttons, function (button) {
        var entry = byKey[button.getAttribute('data-feature')];
        if (!entry) return;
        button.hidden = false;
        button.addEventListener('click', function () {
          select(entry.layer, entry.feature);
        });
      });
      el.setAttribute('data-ready', 'true');
    })
    .catch(function () {
      if (status) status.textContent = 'Die Karte konnte nicht geladen werden. Die Liste der Objekte steht unten.';
    });
})();
