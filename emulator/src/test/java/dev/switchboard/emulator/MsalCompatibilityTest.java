package dev.switchboard.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** MSAL4J, as the platform uses it, obtains and caches tokens from the emulator. */
class MsalCompatibilityTest {

  @Test
  void msalGetsATokenThroughTheOidcAuthorityAndServesTheSecondFromItsCache() throws Exception {
    try (EmulatorFixture fx = new EmulatorFixture(1)) {
      var graph = fx.emulator.graphConfig();
      ConfidentialClientApplication app = ConfidentialClientApplication.builder(graph.getString("clientId"),
              ClientCredentialFactory.createFromSecret(graph.getString("clientSecret")))
          .oidcAuthority(fx.emulator.baseUrl() + "/" + graph.getString("tenantId") + "/v2.0")
          .instanceDiscovery(false)
          .sslSocketFactory(EmulatorFixture.trusting(graph.getString("tlsCertificatePem")).getSocketFactory())
          .build();
      ClientCredentialParameters params = ClientCredentialParameters
          .builder(Set.of("https://graph.microsoft.com/.default")).build();
      IAuthenticationResult first = app.acquireToken(params).get();
      IAuthenticationResult second = app.acquireToken(params).get();
      assertEquals(first.accessToken(), second.accessToken());
      assertEquals(404, fx.request("GET", "/v1.0/communications/calls/none", null, "Bearer " + first.accessToken()).status());
      var tokenRequests = fx.control("GET", "/emulator/requests?path=/oauth2/v2.0/token", null).json().getJsonArray("value");
      assertEquals(1, tokenRequests.size(), tokenRequests.encode());
      assertTrue(tokenRequests.getJsonObject(0).getString("body").contains("offline_access"));
    }
  }
}
