// The Web SDK example (examples/web/index.html): the official SDK pointed at the worker that serves this page.
//
// https only: the SDK always uses https:// for its config, alias and kit forwarding-stats calls, and for events
// and identity unless `forceHttps: false`. So:
// - served over http (plain `npm start`): forceHttps false (events and identity go over http) and
//   requestConfig false (no config call; this page needs no kits); alias cannot work and is not used;
// - served over https (`npm start -- --local-protocol https`, self-signed certificate): the SDK's defaults.
"use strict";

(function () {
  var host = location.host; // 127.0.0.1:8787: the worker that served this page
  var https = location.protocol === "https:";
  var status = document.getElementById("status");
  var log = document.getElementById("log");
  function show(text) {
    status.textContent = text;
    log.textContent += new Date().toISOString() + " " + text + "\n";
  }

  // The SDK answers -2 to a login sent while its first identify is in flight: send() waits for that one.
  var identified;
  var ready = new Promise(function (resolve) {
    identified = resolve;
  });

  var options = {
    isDevelopmentMode: true, // batches are "development"; the demo connection forwards both environments
    logLevel: "warning",
    v1SecureServiceUrl: host + "/v1/JS/",
    v2SecureServiceUrl: host + "/v2/JS/",
    v3SecureServiceUrl: host + "/v3/JS/",
    configUrl: host + "/JS/v2/",
    identityUrl: host + "/v1/",
    aliasUrl: host + "/v1/identity/",
    userAudienceUrl: host + "/v1/",
    identityCallback: function (result) {
      var user = result.getUser && result.getUser();
      document.getElementById("mpid").textContent = user ? user.getMPID() : "–";
      show("identify answered HTTP " + result.httpCode);
      identified();
    },
  };
  if (!https) {
    options.forceHttps = false;
    options.requestConfig = false;
  }
  mParticle.init("demo-web-key", options);

  /** Logs in the email, then sends a page view and a custom event and uploads them at once. */
  function send(email, eventName) {
    return ready.then(function () {
      return login(email, eventName);
    });
  }

  function login(email, eventName) {
    return new Promise(function (resolve) {
      mParticle.Identity.login({ userIdentities: { email: email, customerid: "web-" + email } }, function (result) {
        var user = result.getUser && result.getUser();
        var mpid = user ? user.getMPID() : null;
        document.getElementById("mpid").textContent = mpid || "–";
        if (user) user.setUserAttribute("example_page", "examples/web");
        mParticle.logPageView("Examples: Web SDK", { page: location.pathname });
        mParticle.logEvent(eventName, mParticle.EventType.Other, { source: "examples/web" });
        mParticle.upload();
        show("login answered HTTP " + result.httpCode + "; page view and \"" + eventName + "\" sent as MPID " + mpid);
        resolve({ httpCode: result.httpCode, mpid: mpid });
      });
    });
  }
  window.edgeCdpExample = { send: send };

  document.getElementById("send").addEventListener("submit", function (e) {
    e.preventDefault();
    send(document.getElementById("email").value, document.getElementById("event").value);
  });
  show("SDK initialised against " + (https ? "https://" : "http://") + host);
})();
