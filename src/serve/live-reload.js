// Added by `kubebook serve` to every page it serves (never to the built files), inside a
// <script> with EVENTS_PATH defined before it: see live_reload_script in src/serve.rs.
(function(){
var KEY="kubebook-scroll:"+location.pathname;
try{var y=sessionStorage.getItem(KEY);if(y!==null){sessionStorage.removeItem(KEY);window.scrollTo(0,+y);}}catch(e){}
var page=location.pathname.replace(/^.*\//,"")||"index.html";
function overlay(text){var o=document.getElementById("kubebook-error");if(!o){o=document.createElement("div");o.id="kubebook-error";o.className="error-overlay";o.setAttribute("role","alert");document.body.appendChild(o);}
o.innerHTML="<h2>The book has errors; showing the last good build</h2>";var b=document.createElement("button");b.type="button";b.className="overlay-close";b.textContent="Dismiss";b.addEventListener("click",function(){o.hidden=true;});o.appendChild(b);var pre=document.createElement("pre");pre.textContent=text;o.appendChild(pre);o.hidden=false;}
function reload(){try{sessionStorage.setItem(KEY,String(window.scrollY));}catch(x){}location.reload();}
// A chapter is patched in place: a reload would lay out the whole (heavy) page again. The
// page is compared as served, before book.js changed it, so the first copy is fetched now.
var kb=window.kubebook,article=document.querySelector("main > article");
var patchable=!!(kb&&kb.refresh&&article&&document.body.classList.contains("chapter-page")&&window.fetch&&window.DOMParser);
function fetchPage(){return fetch(location.href.split("#")[0],{cache:"no-store"}).then(function(r){if(!r.ok)throw new Error(r.status);return r.text();}).then(function(t){return parts(new DOMParser().parseFromString(t,"text/html"));});}
// A page in three: the article's elements, the TOC and title (patched), the rest (the shell:
// assets, bar, sidebar, pager; when it changes, the page reloads).
function parts(d){var a=d.querySelector("main > article"),toc=d.querySelector(".toc"),title=d.title;if(!a)return null;
var els=Array.prototype.slice.call(a.children),html=els.map(function(e){return e.outerHTML;});
var tocHtml=toc?toc.outerHTML:"";a.innerHTML="";if(toc)toc.remove();var t=d.querySelector("title");if(t)t.remove();
return{els:els,html:html,tocHtml:tocHtml,toc:toc,title:title,shell:d.documentElement.outerHTML};}
var base=patchable?fetchPage().catch(function(){return null;}):null;
// The article's elements as they stand: one per served element (a wrapper the script put
// around one counts as it; what the script added beside them is skipped).
function liveUnits(){return Array.prototype.filter.call(article.children,function(e){return !e.hasAttribute("data-kb-added");});}
function sameTag(live,tag){return (live.hasAttribute("data-kb-wrap")?live.firstElementChild.tagName:live.tagName)===tag;}
function pathTo(node,el){var p=[];while(el&&el!==node){var par=el.parentNode;p.unshift(Array.prototype.indexOf.call(par.children,el));el=par;}return el===node?p:null;}
function follow(node,p){for(var i=0;node&&i<p.length;i++)node=node.children[p[i]];return node;}
function patch(old,next){
if(!old||!next||old.shell!==next.shell)return false;
var units=liveUnits(),n=old.html.length,m=next.html.length;
if(units.length!==n||units.some(function(u,i){return !sameTag(u,old.els[i].tagName);}))return false;
var pre=0;while(pre<n&&pre<m&&old.html[pre]===next.html[pre])pre++;
var suf=0;while(suf<n-pre&&suf<m-pre&&old.html[n-1-suf]===next.html[m-1-suf])suf++;
var tocChanged=old.tocHtml!==next.tocHtml;
if(pre===n&&pre===m&&!tocChanged&&old.title===next.title)return false;
if(tocChanged&&!(document.querySelector(".toc")&&next.toc))return false;
// What changed, as runs of old elements to new ones: between the common start and end, one
// run, or element by element when the count stayed (several edits in one save).
var ops=[],a=pre,b=n-suf,c=pre,d=m-suf;
if(b-a===d-c){for(var i=a;i<b;i++)if(old.html[i]!==next.html[i])ops.push([i,i+1,i,i+1]);}
else ops.push([a,b,c,d]);
var kept=units.filter(function(u,i){return !ops.some(function(o){return i>=o[0]&&i<o[1];});});
// Scroll: the first element on screen that stays keeps its place on screen.
var anchor=null,top=0,y=window.scrollY;
for(var i=0;i<kept.length;i++){var r=kept[i].getBoundingClientRect();if(r.bottom>0){anchor=kept[i];top=r.top;break;}}
// Focus inside a replaced element moves to the same place in its replacement.
var act=document.activeElement,focus=null;
// The browser's own scroll anchoring would move the page a second time, a frame later.
var se=document.documentElement.style;se.overflowAnchor="none";
requestAnimationFrame(function(){requestAnimationFrame(function(){se.overflowAnchor="";});});
var gone=[],added=[];
ops.forEach(function(o){
var olds=units.slice(o[0],o[1]),news=next.els.slice(o[2],o[3]).map(function(e){return document.adoptNode(e);});
olds.forEach(function(g,k){var p=g.contains(act)&&pathTo(g,act);if(p&&news[k])focus={el:news[k],p:p};});
var ref=o[0]<n?units[o[0]]:null;
news.forEach(function(e){article.insertBefore(e,ref);});
olds.forEach(function(g){g.remove();});
gone=gone.concat(olds);added=added.concat(news);});
var scopes=added.slice(),removed=gone.slice();
if(tocChanged)document.querySelector(".toc").replaceWith(document.adoptNode(next.toc));
if(old.title!==next.title)document.title=next.title;
kb.refresh(scopes,removed);
if(anchor){window.scrollBy(0,anchor.getBoundingClientRect().top-top);}else{window.scrollTo(0,y);}
if(focus){var f=follow(focus.el,focus.p);if(f&&f.focus)f.focus({preventScroll:true});}
return true;}
var queue=Promise.resolve();
function update(){queue=queue.then(function(){return Promise.all([base,fetchPage()]);}).then(function(r){
var next=r[1];if(!patch(r[0],next))return reload();base=Promise.resolve(next);
document.dispatchEvent(new CustomEvent("kubebook:patched"));}).catch(reload);}
var es=new EventSource(EVENTS_PATH);
es.addEventListener("reload",function(e){var pages=JSON.parse(e.data);if(pages.indexOf("*")>=0)return reload();if(pages.indexOf(page)<0)return;if(patchable)update();else reload();});
es.addEventListener("error",function(e){if(e.data){overlay(JSON.parse(e.data).text);}});
es.addEventListener("ok",function(){var o=document.getElementById("kubebook-error");if(o)o.remove();});
})();
