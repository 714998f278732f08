package io.tilemud.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cognito.AccountRecovery;
import software.amazon.awscdk.services.cognito.AuthFlow;
import software.amazon.awscdk.services.cognito.AutoVerifiedAttrs;
import software.amazon.awscdk.services.cognito.CognitoDomainOptions;
import software.amazon.awscdk.services.cognito.OAuthFlows;
import software.amazon.awscdk.services.cognito.OAuthScope;
import software.amazon.awscdk.services.cognito.OAuthSettings;
import software.amazon.awscdk.services.cognito.PasswordPolicy;
import software.amazon.awscdk.services.cognito.SignInAliases;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.cognito.UserPoolClientIdentityProvider;
import software.amazon.awscdk.services.cognito.UserPoolClientOptions;
import software.amazon.awscdk.services.cognito.UserPoolDomain;
import software.amazon.awscdk.services.cognito.UserPoolDomainOptions;
import software.amazon.awscdk.services.cognito.UserPoolGroupOptions;
import software.constructs.Construct;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Who issues player tokens: a Cognito user pool the stack creates (with the {@code admin} group, a hosted UI domain
 * and one public app client for game clients and the browser), or an external OIDC issuer given as context, in which
 * case nothing is created here.
 */
public final class Identity extends Construct {
    /** What the browser asks Cognito for: an ID token for the profile, the access token for the APIs. */
    static final String COGNITO_BROWSER_SCOPE = "openid email profile";

    private final JwtIssuer issuer;
    private final BrowserLogin browserLogin;
    private final UserPool userPool;
    private final UserPoolClient client;

    /**
     * @param webClientUrl where the browser client is served ({@code https://<distribution>/play/}): the only
     *                     redirect (callback) and logout URL of the app client
     */
    public Identity(Construct scope, String id, StackSettings settings, String webClientUrl) {
        super(scope, id);
        Optional<StackSettings.OidcIssuer> external = settings.oidc();
        if (external.isPresent()) {
            var oidc = external.get();
            issuer = new JwtIssuer(oidc.issuer(), oidc.audience(), oidc.jwksUrl());
            browserLogin = new BrowserLogin(oidc.issuer(), oidc.authorizationEndpoint(), oidc.tokenEndpoint(),
                    oidc.clientId(), oidc.scope());
            userPool = null;
            client = null;
            return;
        }
        userPool = UserPool.Builder.create(this, "UserPool")
                .selfSignUpEnabled(true)
                .signInAliases(SignInAliases.builder().email(true).build())
                .autoVerify(AutoVerifiedAttrs.builder().email(true).build())
                .passwordPolicy(PasswordPolicy.builder().minLength(10).requireSymbols(false).build())
                .accountRecovery(AccountRecovery.EMAIL_ONLY)
                // Player accounts outlive any one deployment: keep the pool on stack deletion.
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        userPool.addGroup("AdminGroup", UserPoolGroupOptions.builder()
                .groupName(ContractAdditions.ADMIN_GROUP)
                .description("TileMUD operators: the admin API (ADM-21)")
                .build());
        // One client for every player-facing client, the browser included: the JWT authorizer and the functions
        // check a single audience (TILEMUD_AUDIENCE), and a second client would be a second audience. Keeping the
        // construct id keeps the client id, so tokens of existing deployments stay valid.
        client = userPool.addClient("GameClient", UserPoolClientOptions.builder()
                .generateSecret(false) // public client: neither game clients nor browsers can keep a secret
                .authFlows(AuthFlow.builder().userSrp(true).userPassword(true).adminUserPassword(true).build())
                // The browser: authorization code only (no implicit grant: tokens never travel in a URL). Cognito
                // has no "require PKCE" switch; a public client sends code_challenge and Cognito enforces the
                // matching code_verifier at the token endpoint.
                .oAuth(OAuthSettings.builder()
                        .flows(OAuthFlows.builder().authorizationCodeGrant(true).implicitCodeGrant(false)
                                .clientCredentials(false).build())
                        .scopes(List.of(OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE))
                        .callbackUrls(List.of(webClientUrl))
                        .logoutUrls(List.of(webClientUrl))
                        .build())
                .supportedIdentityProviders(List.of(UserPoolClientIdentityProvider.COGNITO))
                .accessTokenValidity(Duration.hours(1))
                .idTokenValidity(Duration.hours(1))
                .refreshTokenValidity(Duration.days(30))
                .preventUserExistenceErrors(true)
                .build());
        // The pool's ProviderURL attribute has no scheme, while tokens carry iss = https://cognito-idp...: build it.
        Stack stack = Stack.of(this);
        String issuerUrl = "https://cognito-idp." + stack.getRegion() + "." + stack.getUrlSuffix() + "/"
                + userPool.getUserPoolId();
        issuer = new JwtIssuer(issuerUrl, client.getUserPoolClientId(), issuerUrl + "/.well-known/jwks.json");

        // The hosted UI (classic) serves /oauth2/authorize and /oauth2/token. Prefixes are global per region: the
        // default adds the account id, which the environment-agnostic stack only knows at deploy time.
        String prefix = settings.cognitoDomainPrefix()
                .orElse(settings.stackName().toLowerCase(Locale.ROOT) + "-" + stack.getAccount());
        UserPoolDomain domain = userPool.addDomain("HostedUi", UserPoolDomainOptions.builder()
                .cognitoDomain(CognitoDomainOptions.builder().domainPrefix(prefix).build())
                .build());
        browserLogin = new BrowserLogin(issuerUrl, domain.baseUrl() + "/oauth2/authorize",
                domain.baseUrl() + "/oauth2/token", client.getUserPoolClientId(), COGNITO_BROWSER_SCOPE);
    }

    public JwtIssuer issuer() {
        return issuer;
    }

    /** How the browser client logs in: Cognito's hosted UI, or the external issuer's endpoints. */
    public BrowserLogin browserLogin() {
        return browserLogin;
    }

    /** Present only when the stack created the pool. */
    public Optional<UserPool> userPool() {
        return Optional.ofNullable(userPool);
    }

    public Optional<UserPoolClient> client() {
        return Optional.ofNullable(client);
    }
}
