package io.tilemud.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cognito.AccountRecovery;
import software.amazon.awscdk.services.cognito.AuthFlow;
import software.amazon.awscdk.services.cognito.AutoVerifiedAttrs;
import software.amazon.awscdk.services.cognito.PasswordPolicy;
import software.amazon.awscdk.services.cognito.SignInAliases;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.cognito.UserPoolClientOptions;
import software.amazon.awscdk.services.cognito.UserPoolGroupOptions;
import software.constructs.Construct;

import java.util.Optional;

/**
 * Who issues player tokens: a Cognito user pool the stack creates (with the {@code admin} group), or an external
 * OIDC issuer given as context, in which case nothing is created here.
 */
public final class Identity extends Construct {
    private final JwtIssuer issuer;
    private final UserPool userPool;
    private final UserPoolClient client;

    public Identity(Construct scope, String id, Optional<StackSettings.OidcIssuer> external) {
        super(scope, id);
        if (external.isPresent()) {
            var oidc = external.get();
            issuer = new JwtIssuer(oidc.issuer(), oidc.audience(), oidc.jwksUrl());
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
        client = userPool.addClient("GameClient", UserPoolClientOptions.builder()
                .generateSecret(false) // public client: game clients cannot keep a secret
                .authFlows(AuthFlow.builder().userSrp(true).userPassword(true).adminUserPassword(true).build())
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
    }

    public JwtIssuer issuer() {
        return issuer;
    }

    /** Present only when the stack created the pool. */
    public Optional<UserPool> userPool() {
        return Optional.ofNullable(userPool);
    }

    public Optional<UserPoolClient> client() {
        return Optional.ofNullable(client);
    }
}
