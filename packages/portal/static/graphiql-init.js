// Mounts the GraphQL explorer (GraphiQL, served by the platform with React) on #graphiql. The
// preloaded operations come as JSON in the element's data-tabs attribute; no inline code (CSP).
// Requests go to this origin only, with the session cookie of a signed-in browser and whatever
// the user writes into the Headers tab (an API key: {"Authorization": "Bearer hro_…"}).
(function () {
  'use strict';
  var root = document.getElementById('graphiql');
  if (!root || typeof GraphiQL === 'undefined' || typeof React === 'undefined' || typeof ReactDOM === 'undefined') return;
  var tabs = [];
  try {
    tabs = JSON.parse(root.getAttribute('data-tabs') || '[]');
  } catch (e) {
    tabs = [];
  }
  // a link such as /graphql?query=…&variables=… opens that operation first
  var params = new URLSearchParams(window.location.search);
  var query = params.get('query');
  if (query) tabs.unshift({ query: query, variables: params.get('variables') || undefined });

  // the portal is light; GraphiQL would follow a dark system setting with its own palette
  document.body.classList.add('graphiql-light');
  var fetcher = GraphiQL.createFetcher({ url: root.getAttribute('data-endpoint') || '/graphql' });
  var element = React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultTabs: tabs,
    defaultQuery: tabs.length > 0 ? tabs[0].query : undefined,
    // given, GraphiQL makes that operation the active tab even over tabs it restored from
    // localStorage (else a link could open on whatever tab was active last time)
    query: query || undefined,
    variables: query ? params.get('variables') || undefined : undefined,
    // keys stay in the page's memory: never written to localStorage
    shouldPersistHeaders: false,
    defaultEditorToolsVisibility: true,
  });
  root.textContent = '';
  ReactDOM.createRoot(root).render(element);

  // Accessibility repairs of GraphiQL's markup (WCAG 2.1 AA, checked by axe in the browser test),
  // re-applied whenever GraphiQL renders: names for the editors' input fields, keyboard access to
  // the scrolling editors, and the operation tabs as a list of buttons (GraphiQL nests its
  // close buttons inside role="tab" elements, which screen readers cannot operate).
  function set(el, name, value) {
    if (el.getAttribute(name) !== value) el.setAttribute(name, value);
  }
  function unset(el, name) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
  }
  function each(selector, fn) {
    Array.prototype.forEach.call(root.querySelectorAll(selector), fn);
  }
  function repair() {
    each('.graphiql-query-editor textarea', function (t) {
      set(t, 'aria-label', 'GraphQL-Abfrage');
    });
    each('.graphiql-editor-tool .graphiql-editor', function (editor, i) {
      var t = editor.querySelector('textarea');
      if (t) set(t, 'aria-label', i === 0 ? 'Variablen (JSON)' : 'Headers (JSON)');
    });
    each('.result-window textarea', function (t) {
      set(t, 'aria-label', 'Ergebnis (JSON)');
    });
    each('.CodeMirror-scroll', function (s) {
      set(s, 'tabindex', '0');
      set(s, 'aria-label', 'Editor-Inhalt (mit Pfeiltasten scrollen)');
    });
    each('.graphiql-tabs', function (list) {
      // a plain list of the open operations, each with its select and close button
      unset(list, 'role');
      set(list, 'aria-label', 'Geöffnete Abfragen');
    });
    each('.graphiql-tab', function (tab) {
      unset(tab, 'role');
      unset(tab, 'aria-selected');
      var button = tab.querySelector('.graphiql-tab-button');
      if (button) {
        if (tab.classList.contains('graphiql-tab-active')) set(button, 'aria-current', 'true');
        else unset(button, 'aria-current');
      }
    });
  }
  new MutationObserver(repair).observe(root, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ['role', 'aria-selected', 'class'],
  });
  repair();
})();
