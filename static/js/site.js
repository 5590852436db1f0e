// Behaviour that would otherwise sit in inline handlers, which the Content-Security-Policy
// forbids (script-src 'self'). Loaded with defer, after htmx.

// A filter form marked data-drop-empty sends only the fields that have a value, so the URL
// htmx pushes stays short: ?q=sanctions, not ?q=sanctions&speaker=&topic=&...
document.addEventListener("htmx:configRequest", (event) => {
  const form = event.detail.elt.closest && event.detail.elt.closest("form[data-drop-empty]");
  if (!form) return;
  const data = event.detail.formData;
  for (const key of Array.from(data.keys())) {
    if (!data.get(key)) data.delete(key);
  }
});
