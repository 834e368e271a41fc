/** Clinicians sign in (OpenID Connect) before the worklist opens: sessions, roles, the EHR launch, their FHIR token. */
package calciscreen.screening.signin;
