/** What every HTTP endpoint of the screening service shares: the request body limit and the security headers. */
package calciscreen.screening.web;
