// GET /reference: renders the worker's own /openapi.json with Swagger UI (served by the worker at /assets/swagger-ui/, no CDN).
window.addEventListener("DOMContentLoaded", () => {
  // Kept on window for scripts and tests that read the rendered model (test/node/examples.test.ts).
  window.referenceUi = window.SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#reference",
    deepLinking: true,
    tryItOutEnabled: false,
    // The validator badge would call validator.swagger.io; the page stays offline.
    validatorUrl: null,
  });
});
