// The page side of test/node/browser.test.ts: plain browser JavaScript around the official Web SDK
// (`window.mParticle`, loaded from its own dist bundle). The test drives it step by step with
// `page.evaluate(() => window.edgeCdp.<step>(...))`; each step returns plain JSON.
"use strict";

(function () {
  /** Fails a step instead of hanging when the SDK never calls back (CORS or TLS failure). */
  function withTimeout(promise, ms, what) {
    return Promise.race([
      promise,
      new Promise(function (_, reject) {
        setTimeout(function () {
          reject(new Error(what + ": no SDK callback within " + ms + " ms"));
        }, ms);
      }),
    ]);
  }

  /** What an identity callback reports: the HTTP code, the MPID of the answer and the current user's MPID. */
  function identityOutcome(result) {
    var user = result && typeof result.getUser === "function" ? result.getUser() : null;
    var current = mParticle.Identity.getCurrentUser();
    return {
      httpCode: result ? result.httpCode : null,
      bodyMpid: result && result.body && typeof result.body.mpid === "string" ? result.body.mpid : null,
      userMpid: user ? user.getMPID() : null,
      currentMpid: current ? current.getMPID() : null,
    };
  }

  /**
   * The init options pointing the SDK at edge-cdp (see the README "Web SDK" section): either the seven URL
   * options, host[:port]/path/ without a scheme, or the CNAME `domain` form. SDK defaults are kept
   * (requestConfig and forceHttps true), so config, identity, events and alias all go over https.
   */
  function sdkOptions(layout, api) {
    if (layout === "domain") return { domain: api };
    if (layout !== "urls") throw new Error("unknown layout " + layout);
    return {
      v1SecureServiceUrl: api + "/v1/JS/",
      v2SecureServiceUrl: api + "/v2/JS/",
      v3SecureServiceUrl: api + "/v3/JS/",
      configUrl: api + "/JS/v2/",
      identityUrl: api + "/v1/",
      aliasUrl: api + "/v1/identity/",
      userAudienceUrl: api + "/v1/",
    };
  }

  window.edgeCdp = {
    /** mParticle.init; resolves with the anonymous identify's outcome (from the identityCallback). */
    init: function (p) {
      var options = sdkOptions(p.layout, p.api);
      return withTimeout(
        new Promise(function (resolve) {
          options.isDevelopmentMode = true;
          options.logLevel = "warning"; // SDK warnings and errors show in the test's diagnostics
          options.appName = "edge-cdp browser test";
          options.appVersion = "1.2.3";
          options.package = "dev.edge-cdp.browser-test";
          options.identifyRequest = { userIdentities: {} };
          options.identityCallback = function (result) {
            resolve(identityOutcome(result));
          };
          mParticle.init(p.apiKey, options);
        }),
        15000,
        "identify",
      );
    },

    /** Page view, custom event with attributes, purchase with products (the purchase forces an upload). */
    anonymousEvents: function (p) {
      mParticle.logPageView("Home Page", { page: "/home", run: p.tag }, { "Google.Page": "/home" });
      mParticle.logEvent(
        "Video Watched",
        mParticle.EventType.Navigation,
        { category: "Destination Intro", title: "Paris", duration_s: 42, autoplay: true, run: p.tag },
        { "Capture.Flag": "x" },
      );
      var room = mParticle.eCommerce.createProduct(
        "Double Room - Econ Rate",
        "econ-1",
        100,
        4,
        "variant-a",
        "hotel",
        "Acme Hotels",
        1,
        "COUPON10",
        { room_view: "sea" },
      );
      var breakfast = mParticle.eCommerce.createProduct("Breakfast", "bf-1", 15, 2);
      var transaction = mParticle.eCommerce.createTransactionAttributes(p.transactionId, "aff-web", "COUPON10", 460, 10, 20);
      mParticle.eCommerce.logProductAction(
        mParticle.ProductActionType.Purchase,
        [room, breakfast],
        { sale: "summer", run: p.tag },
        { "Capture.Flag": "c" },
        transaction,
      );
      return { mpid: mParticle.Identity.getCurrentUser().getMPID() };
    },

    /** A custom event tagged with the run, uploaded at once (the audiences test's criterion). */
    audienceEvent: function (p) {
      mParticle.logEvent("Audience Probe", mParticle.EventType.Other, { run: p.tag });
      mParticle.upload();
      return { mpid: mParticle.Identity.getCurrentUser().getMPID() };
    },

    /** getUserAudiences of the current user; resolves with what the SDK hands its callback. */
    userAudiences: function () {
      return withTimeout(
        new Promise(function (resolve) {
          mParticle.Identity.getCurrentUser().getUserAudiences(function (result) {
            resolve(result);
          });
        }),
        15000,
        "getUserAudiences",
      );
    },

    /** Identity.login with email and customer id; resolves with the login's outcome. */
    login: function (p) {
      return withTimeout(
        new Promise(function (resolve) {
          mParticle.Identity.login({ userIdentities: { email: p.email, customerid: p.customerId } }, function (result) {
            resolve(identityOutcome(result));
          });
        }),
        15000,
        "login",
      );
    },

    /**
     * Identity.modify of the logged-in user's customer id (a login identity): the public key alone may not
     * change it, so the SDK's callback gets the 400 and its error body; the SDK keeps the user as it was.
     */
    modifyCustomerId: function (p) {
      return withTimeout(
        new Promise(function (resolve) {
          mParticle.Identity.modify({ userIdentities: { email: p.email, customerid: "changed-" + p.customerId } }, function (result) {
            var out = identityOutcome(result);
            out.body = result ? result.body : null;
            out.customerId = mParticle.Identity.getCurrentUser().getUserIdentities().userIdentities.customerid;
            resolve(out);
          });
        }),
        15000,
        "modify",
      );
    },

    /** User attributes, GDPR and CCPA consent on the current user, an event, then upload(). */
    attributesConsentUpload: function (p) {
      var user = mParticle.Identity.getCurrentUser();
      user.setUserAttribute("plan", "premium");
      user.setUserAttribute("age", 42);
      user.setUserAttributeList("favorite_colors", ["red", "green"]);
      var gdpr = mParticle.Consent.createGDPRConsent(true, 1735732799000, "marketing_doc_v2", "example.com/signup", "hw-123");
      var ccpa = mParticle.Consent.createCCPAConsent(false, 1735732799000, "ccpa_doc_v1", "example.com/privacy", "hw-123");
      var state = mParticle.Consent.createConsentState();
      // Upper-case on purpose: the SDK lower-cases GDPR purposes ("marketing" in the batch).
      state.addGDPRConsentState("Marketing", gdpr);
      state.setCCPAConsentState(ccpa);
      user.setConsentState(state);
      mParticle.logEvent("After Consent", mParticle.EventType.Other, { step: "consent", run: p.tag });
      mParticle.upload();
      return { mpid: user.getMPID(), userAgent: navigator.userAgent };
    },

    /**
     * An event left queued (batching is on), then the page is left in the same task: the SDK's exit handler
     * (beforeunload / pagehide) sends it with navigator.sendBeacon. Same task, so the SDK's upload timer
     * cannot send it with fetch first (a fetch would be cut by the navigation).
     */
    beforeUnloadAndLeave: function (p) {
      mParticle.logEvent("Before Unload", mParticle.EventType.Navigation, { step: "unload", run: p.tag });
      var mpid = mParticle.Identity.getCurrentUser().getMPID();
      window.location.href = p.leaveTo;
      return { mpid: mpid };
    },
  };
})();
