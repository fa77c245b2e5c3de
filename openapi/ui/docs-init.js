// Starts Swagger UI on the documents the bridge lists at /docs/openapi (national contract first). A file of its own,
// not an inline script, so that the page's Content-Security-Policy allows scripts from 'self' only.
fetch('/docs/openapi')
  .then((answer) => answer.json())
  .then((documents) => {
    window.ui = SwaggerUIBundle({
      urls: documents.map((d) => ({ url: d.url, name: d.title })),
      dom_id: '#swagger-ui',
      deepLinking: true,
      // The online validator's badge is an image from another origin: the policy refuses it, and it would leak the URL.
      validatorUrl: null,
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
      layout: 'StandaloneLayout',
    });
  });
