// stand-in module for the infra-cdk tests
