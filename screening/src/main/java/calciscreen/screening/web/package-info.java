/** What every HTTP endpoint of the screening service shares: the request body limit. */
package calciscreen.screening.web;
