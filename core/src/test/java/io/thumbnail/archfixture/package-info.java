/**
 * Fixtures for the architecture rules' own tests: small packages built to break one rule each (and one that breaks
 * none), so those tests show every rule can fail. Test code only; the architecture tests judge main classes.
 */
package io.thumbnail.archfixture;
