package calciscreen.screening.cds;

/**
 * Where this service is reached and whether CDS client checks are on.
 *
 * @param publicBaseUrl   e.g. http://localhost:8081
 * @param insecureDevMode {@code CALCISCREEN_INSECURE_DEV_MODE=true}: CDS calls are not authenticated (warned at start)
 */
public record CdsEndpoint(String publicBaseUrl, boolean insecureDevMode) {

    /** The JWT audience: the service's endpoint as discovery names it. */
    public String serviceUrl() {
        return publicBaseUrl.replaceAll("/+$", "") + "/cds-services/" + CalciphylaxisRiskService.ID;
    }
}
